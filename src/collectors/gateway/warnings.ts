/**
 * A gateway reader's problems as report warnings (every one reaches the report; those that hide evidence also turn
 * the rules checked on that file into `error`, in the engine). Kept apart from the readers so the report side can
 * import it without loading them.
 */
import type { GatewayConfigEvidence } from '../../model/evidence.js';

export function gatewayWarnings(gateways: readonly GatewayConfigEvidence[]): { zh: string; en: string }[] {
  return gateways.flatMap((g) =>
    g.problems.map((p) => {
      const at = `${p.location.file}${p.location.line !== undefined ? `:${p.location.line}` : ''}`;
      const hidden = p.hidesEvidence ? { zh: '（缺失部分使相关要求不能判为通过）', en: ' (what was lost keeps the rules checked on it from passing)' } : { zh: '', en: '' };
      return { zh: `${at}：网关配置：${p.message}${hidden.zh}`, en: `${at}: gateway configuration: ${p.message}${hidden.en}` };
    }),
  );
}
