/**
 * What nginx's directive table says about structure, as far as a reader needs it to refuse what nginx refuses:
 * which directives take a block and what context that block opens, where the structural directives may stand,
 * and the names of the directives of nginx's own modules (so that `proxy_pass http://a` followed on the next
 * line by `proxy_set_header …` is seen as a lost `;`, and `include x.conf\n server {` is not read as a block).
 *
 * WHY a table: without one, a single missing `;` before `server {` turned the whole server into the block of
 * the previous directive and the file read as 0 routes and 0 listeners, a passing gate. nginx itself knows
 * every directive's type (NGX_CONF_BLOCK, NGX_CONF_TAKEn) from its modules; this is that table for the
 * modules of nginx, NGINX Plus, njs and OpenResty that gateway configurations use.
 */

export type NginxContext = 'main' | 'events' | 'http' | 'server' | 'location' | 'if' | 'limit_except' | 'upstream' | 'stream' | 'mail' | 'values' | 'pairs' | 'unknown';

/** Directives that take a block, with the context the block opens (`values`: entries, not directives). */
const BLOCKS: Record<string, NginxContext> = {
  events: 'events',
  http: 'http',
  stream: 'stream',
  mail: 'mail',
  server: 'server',
  location: 'location',
  if: 'if',
  limit_except: 'limit_except',
  upstream: 'upstream',
  map: 'pairs',
  geo: 'pairs',
  types: 'values',
  split_clients: 'pairs',
  charset_map: 'pairs',
  match: 'values', // NGINX Plus health-check conditions
  mgmt: 'values', // NGINX Plus R33
  otel_exporter: 'values',
  geoip2: 'values', // ngx_http_geoip2_module
  rtmp: 'values', // nginx-rtmp-module: its own directives (`allow play all`), not nginx's
  application: 'values',
  perl_set: 'values',
  oidc_provider: 'values', // NGINX Plus R34 OpenID Connect
  acme_issuer: 'values', // ngx_http_acme_module
};

/** `server` is a block in http/stream/mail, a plain directive (`server 10.0.0.1:80;`) in upstream. */
export function takesBlock(name: string, context: NginxContext): boolean | undefined {
  if (name.endsWith('_by_lua_block')) return true;
  if (name === 'server') return context !== 'upstream';
  if (name === 'perl_set') return undefined; // takes either a quoted sub or a block
  if (name in BLOCKS) return true;
  if (KNOWN.has(name) || KNOWN_PREFIX.test(name)) return false;
  return undefined; // a third-party directive nginx knows only if its module is loaded
}

export function blockContext(name: string, context: NginxContext): NginxContext {
  if (name.endsWith('_by_lua_block')) return 'values';
  if (name === 'server') return context === 'stream' ? 'stream' : context === 'mail' ? 'mail' : 'server';
  if (name === 'location' && (context === 'stream' || context === 'mail')) return 'unknown';
  return BLOCKS[name] ?? 'unknown';
}

/** Where nginx allows the structural directives (a context not listed is "directive is not allowed here"). */
const ALLOWED: Record<string, NginxContext[]> = {
  events: ['main'],
  http: ['main'],
  stream: ['main'],
  mail: ['main'],
  server: ['http', 'stream', 'mail', 'upstream'],
  location: ['server', 'location'],
  listen: ['server', 'stream', 'mail'],
  server_name: ['server', 'mail'],
  upstream: ['http', 'stream'],
  limit_except: ['location'],
  if: ['server', 'location'],
  worker_processes: ['main'],
  worker_connections: ['events'],
  proxy_pass: ['location', 'if', 'limit_except', 'stream'],
};

export function allowedHere(name: string, context: NginxContext): boolean {
  if (context === 'unknown' || context === 'values' || context === 'pairs') return true;
  const where = ALLOWED[name];
  if (!where) return true;
  // `listen`, `proxy_pass` of a stream server: the stream server block's context is `stream` here
  return where.includes(context);
}

/** Directives of nginx's own modules (http, stream, mail, events, core), NGINX Plus, njs and OpenResty. */
const KNOWN = new Set(
  `accept_mutex accept_mutex_delay access_log add_after_body add_before_body add_header add_trailer addition_types aio aio_write
  alias allow ancient_browser ancient_browser_value api auth_basic auth_basic_user_file auth_delay auth_http auth_http_header
  auth_http_pass_client_cert auth_http_timeout auth_jwt auth_jwt_claim_set auth_jwt_header_set auth_jwt_key_cache auth_jwt_key_file
  auth_jwt_key_request auth_jwt_leeway auth_jwt_require auth_jwt_type auth_request auth_request_set autoindex autoindex_exact_size
  autoindex_format autoindex_localtime break charset charset_types chunked_transfer_encoding client_body_buffer_size
  client_body_in_file_only client_body_in_single_buffer client_body_temp_path client_body_timeout client_header_buffer_size
  client_header_timeout client_max_body_size connection_pool_size create_full_put_path daemon dav_access dav_methods debug_connection
  debug_points default_type deny directio directio_alignment disable_symlinks empty_gif env error_log error_page etag
  expires fastcgi_bind fastcgi_buffer_size fastcgi_buffering fastcgi_buffers fastcgi_cache fastcgi_cache_key fastcgi_cache_path
  fastcgi_cache_valid fastcgi_connect_timeout fastcgi_index fastcgi_intercept_errors fastcgi_param fastcgi_pass fastcgi_read_timeout
  fastcgi_split_path_info flv gunzip gzip gzip_buffers gzip_comp_level gzip_disable gzip_http_version gzip_min_length gzip_proxied
  gzip_static gzip_types gzip_vary hash health_check health_check_timeout http2 http2_body_preread_size http2_chunk_size
  http2_max_concurrent_streams http2_push http2_push_preload http3 http3_hq http3_max_concurrent_streams http3_stream_buffer_size
  if_modified_since ignore_invalid_headers image_filter imap_auth imap_capabilities imap_client_buffer include index internal ip_hash
  keepalive keepalive_disable keepalive_requests keepalive_time keepalive_timeout keyval keyval_zone large_client_header_buffers
  least_conn least_time limit_conn limit_conn_dry_run limit_conn_log_level limit_conn_status limit_conn_zone limit_rate
  limit_rate_after limit_req limit_req_dry_run limit_req_log_level limit_req_status limit_req_zone lingering_close lingering_time
  lingering_timeout listen load_module lock_file log_format log_not_found log_subrequest master_process max_ranges
  memcached_pass merge_slashes min_delete_depth mirror mirror_request_body mp4 msie_padding msie_refresh multi_accept ntlm
  open_file_cache open_file_cache_errors open_file_cache_min_uses open_file_cache_valid open_log_file_cache output_buffers
  pcre_jit pid pop3_auth pop3_capabilities port_in_redirect postpone_output preread_buffer_size preread_timeout protocol
  proxy_bind proxy_buffer proxy_buffer_size proxy_buffering proxy_buffers proxy_busy_buffers_size proxy_cache proxy_cache_background_update
  proxy_cache_bypass proxy_cache_key proxy_cache_lock proxy_cache_lock_timeout proxy_cache_methods proxy_cache_min_uses proxy_cache_path
  proxy_cache_revalidate proxy_cache_use_stale proxy_cache_valid proxy_connect_timeout proxy_cookie_domain proxy_cookie_path
  proxy_download_rate proxy_hide_header proxy_http_version proxy_ignore_headers proxy_intercept_errors proxy_max_temp_file_size
  proxy_next_upstream proxy_next_upstream_timeout proxy_next_upstream_tries proxy_no_cache proxy_pass proxy_pass_header
  proxy_pass_request_body proxy_pass_request_headers proxy_protocol proxy_read_timeout proxy_redirect proxy_request_buffering
  proxy_responses proxy_send_timeout proxy_set_body proxy_set_header proxy_ssl proxy_ssl_certificate proxy_ssl_certificate_key
  proxy_ssl_name proxy_ssl_protocols proxy_ssl_server_name proxy_ssl_session_reuse proxy_ssl_trusted_certificate proxy_ssl_verify
  proxy_ssl_verify_depth proxy_temp_file_write_size proxy_temp_path proxy_timeout proxy_upload_rate queue random random_index
  read_ahead real_ip_header real_ip_recursive recursive_error_pages referer_hash_bucket_size referer_hash_max_size request_pool_size
  reset_timedout_connection resolver resolver_timeout return rewrite rewrite_log root satisfy scgi_pass secure_link
  secure_link_md5 secure_link_secret send_lowat send_timeout sendfile sendfile_max_chunk server_name server_name_in_redirect
  server_names_hash_bucket_size server_names_hash_max_size server_tokens session_log set set_real_ip_from slice smtp_auth
  smtp_capabilities source_charset ssi ssi_types ssl ssl_buffer_size ssl_certificate ssl_certificate_key ssl_ciphers
  ssl_client_certificate ssl_conf_command ssl_crl ssl_dhparam ssl_early_data ssl_ecdh_curve ssl_engine ssl_handshake_timeout
  ssl_ocsp ssl_ocsp_cache ssl_ocsp_responder ssl_password_file ssl_prefer_server_ciphers ssl_preread ssl_protocols
  ssl_reject_handshake ssl_session_cache ssl_session_ticket_key ssl_session_tickets ssl_session_timeout ssl_stapling
  ssl_stapling_file ssl_stapling_responder ssl_stapling_verify ssl_trusted_certificate ssl_verify_client ssl_verify_depth
  starttls state status status_format status_zone sticky sub_filter sub_filter_last_modified sub_filter_once sub_filter_types
  subrequest_output_buffer_size tcp_nodelay tcp_nopush thread_pool timeout timer_resolution try_files types_hash_bucket_size
  types_hash_max_size underscores_in_headers uninitialized_variable_warn use user userid userid_domain userid_expires userid_name
  userid_path userid_service uwsgi_pass valid_referers variables_hash_bucket_size variables_hash_max_size worker_aio_requests
  worker_connections worker_cpu_affinity worker_priority worker_processes worker_rlimit_core worker_rlimit_nofile
  worker_shutdown_timeout working_directory xclient xml_entities xslt_stylesheet zone zone_sync js_access js_body_filter
  js_content js_fetch_trusted_certificate js_filter js_header_filter js_import js_include js_path js_periodic js_preload_object
  js_preread js_set js_shared_dict_zone js_var lua_package_path lua_package_cpath lua_shared_dict lua_code_cache
  more_set_headers more_clear_headers real_ip_header server_tokens absolute_redirect`
    .split(/\s+/)
    .filter(Boolean),
);

/** Families whose every member is a plain directive (module prefixes of nginx and OpenResty). */
const KNOWN_PREFIX = /^(proxy|fastcgi|uwsgi|scgi|grpc|memcached|ssl|http2|http3|quic|gzip|limit|auth_jwt|js|lua|ssi|userid|secure_link|open_file|client|keepalive|lingering|resolver|mp4|hls|f4f|image_filter|xslt|sub_filter|real_ip|set_real|split|geoip|zone_sync|health|keyval|status|api|otel|mirror|slice|random|sticky|ntlm|queue|log|access|error|worker|debug|thread|aio|directio|output|postpone|sendfile|tcp|send|server_names|types_hash|variables_hash|map_hash|proxy_cache|more)_/;

/** Directive names that are also common argument words (`listen 443\n ssl http2;` is one directive). */
const ALSO_VALUES = new Set(['ssl', 'http2', 'http3', 'quic', 'proxy_protocol', 'default', 'status', 'zone', 'random', 'hash', 'state', 'timeout', 'protocol', 'starttls', 'keepalive', 'queue', 'sticky', 'api', 'break', 'internal', 'types', 'server', 'if']);

/** A name of nginx's own directives (for noticing a lost `;`: the next line starts with one). */
export function isKnownDirective(name: string): boolean {
  if (ALSO_VALUES.has(name)) return false;
  return name in BLOCKS || KNOWN.has(name) || (KNOWN_PREFIX.test(name) && !name.endsWith('_block'));
}

/** Argument counts [min, max] of nginx's own directives (NGX_CONF_TAKEn / 1MORE / 2MORE in their modules). */
const ARITY: Record<string, [number, number]> = {};
function arity(names: string, min: number, max: number): void {
  for (const n of names.split(/\s+/).filter(Boolean)) ARITY[n] = [min, max];
}
arity(`root alias default_type server_tokens ssl_certificate ssl_certificate_key ssl_ciphers ssl_verify_client ssl_verify_depth
  ssl_client_certificate ssl_trusted_certificate ssl_dhparam ssl_prefer_server_ciphers ssl_session_tickets ssl_session_timeout ssl_stapling
  ssl_stapling_verify ssl_ecdh_curve ssl_crl ssl_password_file ssl_early_data ssl_reject_handshake proxy_pass proxy_http_version
  proxy_read_timeout proxy_connect_timeout proxy_send_timeout proxy_buffering proxy_request_buffering proxy_intercept_errors proxy_ssl_verify
  proxy_ssl_server_name proxy_ssl_name proxy_ssl_trusted_certificate proxy_ssl_certificate proxy_ssl_certificate_key proxy_hide_header
  proxy_pass_header proxy_buffer_size proxy_cache proxy_max_temp_file_size auth_basic auth_basic_user_file auth_request
  client_max_body_size client_body_timeout client_header_timeout client_body_buffer_size sendfile tcp_nopush tcp_nodelay gzip
  gzip_comp_level gzip_min_length gzip_vary gzip_http_version charset worker_processes worker_connections worker_rlimit_nofile pid
  include autoindex server_name_in_redirect port_in_redirect absolute_redirect send_timeout keepalive_requests types_hash_max_size
  types_hash_bucket_size server_names_hash_bucket_size server_names_hash_max_size limit_req_status limit_conn_status limit_req_log_level
  limit_conn_log_level allow deny grpc_pass fastcgi_pass uwsgi_pass scgi_pass memcached_pass auth_jwt_key_file js_content
  resolver_timeout satisfy merge_slashes underscores_in_headers ignore_invalid_headers log_not_found recursive_error_pages
  chunked_transfer_encoding lingering_close reset_timedout_connection multi_accept accept_mutex use daemon master_process
  ssl_buffer_size http2 limit_rate limit_rate_after`, 1, 1);
arity('internal', 0, 0);
arity('proxy_set_header grpc_set_header limit_conn set limit_conn_zone proxy_buffers gzip_buffers large_client_header_buffers', 2, 2);
arity('return expires keepalive_timeout ssl_session_cache user auth_jwt proxy_redirect', 1, 2);
arity('rewrite add_header add_trailer', 2, 3);
arity('limit_req', 1, 3);
arity('limit_req_zone', 3, 4);
arity('access_log', 1, 6);
arity('location', 1, 2);
arity('keyval', 3, 3);
arity('fastcgi_param', 2, 3);

const LISTEN_FLAG = /^(default_server|default|ssl|http2|quic|proxy_protocol|deferred|bind|reuseport|(setfib|fastopen|backlog|rcvbuf|sndbuf|accept_filter|ipv6only|so_keepalive)=.*)$/;

/** Why nginx would refuse these arguments of a directive it knows, or undefined. */
export function badArguments(name: string, args: readonly string[]): string | undefined {
  const a = ARITY[name];
  if (a && (args.length < a[0] || args.length > a[1])) return `invalid number of arguments in "${name}" directive`;
  if (name === 'location' && args.length === 2 && !/^(=|~|~\*|\^~)$/.test(args[0]!)) return `invalid location modifier "${args[0]}"`;
  if ((name === 'access_log' || name === 'error_log') && args[0] === 'off' && args.length > 1) return `invalid parameter "${args[1]}" after "off"`;
  if (name === 'if') {
    // nginx: the condition is parenthesised and not empty ("invalid condition" otherwise)
    const cond = args.join(' ');
    if (!cond.startsWith('(') || !cond.endsWith(')') || /^\(\s*\)$/.test(cond)) return `invalid condition "${cond}"`;
  }
  if (name === 'listen') {
    const bad = args.slice(1).find((x) => !LISTEN_FLAG.test(x));
    if (bad !== undefined) return `invalid parameter "${bad}"`;
  }
  return undefined;
}
