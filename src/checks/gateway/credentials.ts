/**
 * 7.3.4 inline secrets and 7.1 disclosure: no credential written in the gateway configuration, no server or
 * version information disclosed.
 */
import { defineCheck, NO_PARAMS } from '../registry.js';
import type { Outcome } from '../../model/outcome.js';
import { EVIDENCE, loc, where } from './common.js';

export const noInlineSecrets = defineCheck<Record<string, never>>({
  name: 'gateway.noInlineSecrets',
  evidence: EVIDENCE,
  description: 'No App_Secret, private key, password or token is written in the gateway configuration (7.3.4).',
  params: NO_PARAMS,
  messages: {
    inlineSecret: { zh: '配置中明文写入了 {{kind}}：{{key}} = {{excerpt}}', en: '{{kind}} written in the configuration: {{key}} = {{excerpt}}' },
    noSecrets: { zh: '{{file}} 中未发现明文凭据', en: 'no credential written in {{file}}' },
  },
  run(bundle) {
    const out: Outcome[] = [];
    for (const g of bundle.gateway) {
      for (const c of g.credentials) {
        out.push({ status: 'fail', messageId: 'inlineSecret', data: { kind: c.kind, key: c.key, excerpt: c.excerpt }, location: loc(c.location), evidence: c.excerpt, subject: `${g.file} ${c.key}` });
      }
      if (!g.credentials.length) out.push({ status: 'pass', messageId: 'noSecrets', data: { file: g.file }, location: { file: g.file }, subject: `${g.format} ${g.file}` });
    }
    return out;
  },
});

export const noVersionDisclosure = defineCheck<Record<string, never>>({
  name: 'gateway.noVersionDisclosure',
  evidence: EVIDENCE,
  description: 'The gateway discloses no server or version information (server_tokens, Server / X-Powered-By passthrough, error details) (7.1).',
  params: NO_PARAMS,
  messages: {
    disclosure: { zh: '{{setting}} = {{value}}：泄露服务器或版本信息', en: '{{setting}} = {{value}} discloses server or version details' },
    noDisclosure: { zh: '{{file}} 未泄露服务器或版本信息', en: 'no server or version disclosure in {{file}}' },
    notVisible: { zh: '{{file}} 不含节点级响应头设置（应在节点配置中检查）', en: '{{file}} holds no node-level header settings (check the node configuration)' },
  },
  run(bundle) {
    const out: Outcome[] = [];
    for (const g of bundle.gateway) {
      for (const d of g.disclosures) {
        out.push({ status: 'fail', messageId: 'disclosure', data: { setting: d.setting, value: d.value }, location: loc(d.location), subject: `${g.format} ${d.setting} ${where(d.location)}` });
      }
      if (g.disclosures.length) continue;
      // Kong/APISIX route files say nothing about the node's Server header: only their node configs do
      // Kubernetes manifests do not show the controller's Server header either (Kong's default discloses it)
      const nodeLevel = g.format === 'nginx' || g.format === 'spring' || (g.format !== 'kubernetes' && g.listeners.length > 0);
      out.push({ status: nodeLevel ? 'pass' : 'n/a', messageId: nodeLevel ? 'noDisclosure' : 'notVisible', data: { file: g.file }, location: { file: g.file }, subject: `${g.format} ${g.file}` });
    }
    return out;
  },
});

