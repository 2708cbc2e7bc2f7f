/**
 * The six fields clause 7.3.3 wants in every interface log record, and the names they go by in real
 * logs. A name matches a key at any depth of a JSON record (`response.status` is found as `status`), a
 * flat dotted key (`http.status_code`), a logfmt key, an nginx variable, a W3C or Zeek column.
 * Matching is on the normalised name: case and the separators `_ - . space` are ignored.
 */
import { normaliseKey } from '../../detectors/keys.js';
import { SpanMemo } from '../../detectors/span-memo.js';

export const REQUIRED_FIELDS = ['serial-number', 'app-id', 'u-api-id', 'duration', 'timestamp', 'result'] as const;
export type RequiredField = (typeof REQUIRED_FIELDS)[number];

export const DEFAULT_FIELD_NAMES: Record<RequiredField, string[]> = {
  'serial-number': [
    '交易流水号', '流水号', 'serialNo', 'serial_number', 'traceId', 'trace_id', 'requestId', 'request_id', 'reqId',
    'X-Request-Id', 'http_x_request_id', 'transactionId', 'transId', 'txnId', 'txnNo', 'transNo', 'tradeNo', 'seqNo',
    'flowNo', 'correlationId', 'RayID',
  ],
  'app-id': ['应用唯一标识', 'App_ID', 'appId', 'app_id', 'appKey', 'applicationId', 'clientId', 'client_id', 'consumer', 'consumerId', 'http_x_app_id'],
  // The gateway's route identifies the interface called: Kong logs `route{id, name}`, APISIX `route_id`.
  'u-api-id': ['接口唯一标识', 'U_API_ID', 'uApiId', 'u_api_id', 'uapi', 'apiId', 'api_id', 'interfaceId', 'apiCode', 'http_x_u_api_id', 'route', 'route_id', 'route.name'],
  duration: [
    '耗时', 'duration', 'durationMs', 'duration_ms', 'elapsed', 'elapsedMs', 'latency', 'latencyMs', 'latencies',
    'request_time', 'responseTime', 'rt', 'cost', 'costTime', 'time-taken', 'time_taken', 'upstream_response_time',
    'http.server.duration', 'http.server.request.duration',
  ],
  timestamp: [
    '时间戳', '交易时间', 'timestamp', 'time', 'ts', '@timestamp', 'datetime', 'start_time', 'startTime', 'started_at',
    'logTime', 'time_local', 'time_iso8601', 'msec', 'EdgeStartTimestamp', 'date',
  ],
  result: [
    '返回结果', '返回码', '应答码', 'result', 'resultCode', 'status', 'statusCode', 'status_code', 'http.status_code',
    'http.response.status_code', 'httpStatus', 'respCode', 'retCode', 'returnCode', 'errCode', 'sc-status',
    'EdgeResponseStatus',
  ],
};

/** Normalised name → field, built once per field map. */
export class FieldMatcher {
  private readonly byName = new Map<string, number>();
  readonly fields: RequiredField[] = [...REQUIRED_FIELDS];

  constructor(extra?: Partial<Record<RequiredField, string[]>>) {
    REQUIRED_FIELDS.forEach((field, i) => {
      for (const n of [...(extra?.[field] ?? []), ...DEFAULT_FIELD_NAMES[field]]) {
        this.given.push(n);
        const key = normaliseKey(n);
        if (!this.byName.has(key)) this.byName.set(key, i);
      }
    });
  }

  /** Index of the required field this key stands for, or -1. */
  match(key: string): number {
    let f = this.memo.get(key);
    if (f === undefined) {
      f = this.byName.get(normaliseKey(key)) ?? -1;
      if (this.memo.size < 10_000) this.memo.set(key, f);
    }
    return f;
  }

  private readonly memo = new Map<string, number>();
  private readonly spans = new SpanMemo(1024);
  private readonly matchKey = (key: string): number => this.match(key);

  /** match() on `text[from, to)` without cutting it out first (SpanMemo): the same few keys stand on every line. */
  matchSpan(text: string, from: number, to: number): number {
    return this.spans.get(text, from, to, 0, this.matchKey);
  }

  private readonly given: string[] = [];

  /**
   * Source of `"name":` for every spelling of every name (as given, snake_case, camelCase, PascalCase,
   * UPPER_SNAKE, kebab, dotted, run together; to be compiled with the `i` flag): one flat alternation,
   * which V8 scans at several hundred MB/s, where capturing every key of every record and normalising
   * it costs three times as much. No capture: the match ends at the key's closing quote, its `:` looked
   * ahead at, so a scan by `test` (no match array per key) tells a key hit by the quote it ends on and
   * reads the name between the quotes.
   */
  jsonKeyTestSource(): string {
    const alternation = this.jsonKeyVariants()
      .sort((a, b) => b.length - a.length)
      .map((v) => v.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&'));
    return `"(?:${alternation.join('|')})"(?=\\s*:)`;
  }

  /** Every spelling jsonKeyTestSource matches, in lower case. */
  jsonKeyVariants(): string[] {
    const variants = new Set<string>();
    for (const n of this.given) {
      const words = n.replace(/([a-z0-9])([A-Z])/g, '$1 $2').split(/[\s_.\-]+/).filter(Boolean).map((w) => w.toLowerCase());
      if (words.length === 0) continue;
      variants.add(n.toLowerCase());
      for (const v of [words.join('_'), words.join(''), words.join('-'), words.join('.')]) variants.add(v);
    }
    return [...variants].filter((v) => this.byName.has(normaliseKey(v)));
  }
}

