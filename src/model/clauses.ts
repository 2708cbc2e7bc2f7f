/**
 * The standard's own structure: clause titles of JR/T 0185-2020 chapters 7–12 and Annex B, chapter order and
 * clause ordering. Shared by the rulebook loader, scoring and every renderer.
 */
import type { LocalizedText } from './outcome.js';

type Lang = 'zh' | 'en';

/** Clause titles of JR/T 0185-2020 chapters 7–12 and Annex B, as printed in the standard. */
export const CLAUSE_TITLES: Readonly<Record<string, LocalizedText>> = {
  '7': { zh: '安全设计', en: 'Security design' },
  '7.1': { zh: '设计基本要求', en: 'Basic design requirements' },
  '7.2': { zh: '接口安全设计', en: 'Interface security design' },
  '7.2.1': { zh: '身份认证安全', en: 'Authentication security' },
  '7.2.2': { zh: '接口交互安全', en: 'Interface interaction security' },
  '7.3': { zh: '服务安全设计', en: 'Service security design' },
  '7.3.1': { zh: '授权管理', en: 'Authorization management' },
  '7.3.2': { zh: '攻击防护', en: 'Attack protection' },
  '7.3.3': { zh: '安全监控', en: 'Security monitoring' },
  '7.3.4': { zh: '密钥管理', en: 'Key management' },
  '8': { zh: '安全部署', en: 'Security deployment' },
  '9': { zh: '安全集成', en: 'Security integration' },
  '9.1': { zh: '应用方核准', en: 'Application party approval' },
  '9.1.1': { zh: '应用方准入', en: 'Application party admission' },
  '9.1.2': { zh: '应用方身份核验', en: 'Application party identity verification' },
  '9.2': { zh: '接入安全控制', en: 'Access security control' },
  '9.2.1': { zh: '身份认证', en: 'Identity authentication' },
  '9.2.2': { zh: '安全传输', en: 'Secure transmission' },
  '9.3': { zh: '运行安全', en: 'Operational security' },
  '9.3.1': { zh: '用户身份认证', en: 'User authentication' },
  '9.3.2': { zh: '权限控制', en: 'Permission control' },
  '9.3.3': { zh: '数据安全', en: 'Data security' },
  '9.3.4': { zh: '应用方安全能力', en: 'Application party security capability' },
  '9.3.5': { zh: '应用方接口集成', en: 'Application party interface integration' },
  '9.4': { zh: '应用方退出', en: 'Application party exit' },
  '10': { zh: '安全运维', en: 'Security operation and maintenance' },
  '10.1': { zh: '安全监测', en: 'Security monitoring' },
  '10.1.1': { zh: '运维监测', en: 'Operations monitoring' },
  '10.1.2': { zh: '异常监测', en: 'Anomaly monitoring' },
  '10.2': { zh: '风险控制', en: 'Risk control' },
  '10.2.1': { zh: '服务风险控制', en: 'Service risk control' },
  '10.2.2': { zh: '交易流程控制', en: 'Transaction flow control' },
  '10.2.3': { zh: '交易风险监控', en: 'Transaction risk monitoring' },
  '10.3': { zh: '变更控制', en: 'Change control' },
  '10.4': { zh: '运维巡检', en: 'Operations inspection' },
  '10.5': { zh: '事件处理', en: 'Incident handling' },
  '11': { zh: '服务终止与系统下线', en: 'Service termination and system decommissioning' },
  '12': { zh: '安全管理', en: 'Security management' },
  '12.1': { zh: '管理制度', en: 'Management system' },
  '12.2': { zh: '应用安全责任', en: 'Application security responsibility' },
  '12.3': { zh: '安全审计', en: 'Security audit' },
  B: { zh: '商业银行应用程序接口统一识别码编码规则', en: 'Coding rules of the uniform API ID (U_API_ID)' },
  'B.1': { zh: '概述', en: 'General' },
  'B.2': { zh: '接口统一识别码结构与长度', en: 'Structure and length of the uniform API ID' },
  'B.3': { zh: '接口统一识别码编码', en: 'Coding of the uniform API ID' },
  'B.3.1': { zh: '接口统一识别码编码结构', en: 'Coding structure of the uniform API ID' },
  'B.3.2': { zh: '固定位', en: 'Fixed positions' },
  'B.3.3': { zh: '商业银行机构代码', en: 'Commercial bank institution code' },
  'B.3.4': { zh: '接口类型编码', en: 'Interface type code' },
  'B.3.5': { zh: '服务类别编码', en: 'Service category code' },
  'B.3.6': { zh: '顺序码编码', en: 'Sequence code' },
  'B.3.7': { zh: '保留位编码', en: 'Reserved positions' },
};

/** Chapters in the standard's order; the order of every per-clause table and chart. */
export const CHAPTERS: readonly string[] = ['7', '8', '9', '10', '11', '12', 'B'];

/** "9.2.2" → "9", "B.3.4" → "B". */
export function chapterOf(clause: string): string {
  return clause.split('.')[0] ?? clause;
}

/** Title of a clause, or of its nearest titled ancestor ("9.2.2.a" → 安全传输); '' when none is known. */
export function clauseTitle(clause: string, lang: Lang): string {
  const parts = clause.split('.');
  for (let n = parts.length; n > 0; n--) {
    const title = CLAUSE_TITLES[parts.slice(0, n).join('.')];
    if (title) return title[lang];
  }
  return '';
}

/** Orders clause numbers as the standard does: 7 < 7.2 < 7.2.1 < 9.1 < 10 < 12 < B < B.3.4. */
export function compareClauses(a: string, b: string): number {
  const pa = a.split('.');
  const pb = b.split('.');
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const x = pa[i];
    const y = pb[i];
    if (x === undefined) return -1;
    if (y === undefined) return 1;
    const nx = /^\d+$/.test(x) ? Number(x) : Number.POSITIVE_INFINITY;
    const ny = /^\d+$/.test(y) ? Number(y) : Number.POSITIVE_INFINITY;
    if (nx !== ny) return nx - ny;
    if (x !== y) return x < y ? -1 : 1;
  }
  return 0;
}
