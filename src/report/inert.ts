/**
 * Text from inputs made inert before it reaches a terminal or a CI log.
 *
 * WHY: a spec's title, a gateway path or a log line is written by whoever wrote the input — in a pull request, its
 * author. Printed raw, an ESC sequence can clear the screen, recolour or hide lines, or set the window title (OSC);
 * a newline can start a fake "Verdict: gate passed" line; a line starting with `::error ` (GitHub Actions) or
 * `##vso[` (Azure Pipelines) is a workflow command the runner obeys. The HTML renderer escapes for HTML; this is the
 * same for terminals and logs: control characters are shown as visible escapes, bidirectional overrides too (they
 * reorder what a reader sees), and `::` / `##[` / `##vso[` get a zero-width space so no wrap can make them a command.
 */

/** C0 controls, DEL, C1 controls (ESC, CSI 0x9B, OSC 0x9D …), and the bidi embedding/override/isolate marks. */
const CONTROL = /[\u0000-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]/g;
const NAMED: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t', '\u001b': '\\e' };
const COMMAND = /::|##(?=\[|vso\[)/g;

function escapeControl(c: string): string {
  const code = c.charCodeAt(0);
  return NAMED[c] ?? (code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`);
}

/** One field of input text for a terminal line: every control character visible, nothing that starts a command. */
export function inert(text: unknown): string {
  return String(text ?? '')
    .replace(CONTROL, escapeControl)
    .replace(COMMAND, (m) => `${m[0]}\u200b${m.slice(1)}`);
}

/**
 * A whole rendered document printed on stdout (markdown, JUnit, CSV, JSON with `--out -`): its own newlines and
 * tabs are structure and stay; every other control character is escaped; and a line that would start (after
 * blanks) with a workflow command is broken up.
 */
export function inertDocument(text: string): string {
  return text
    .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]|\r(?!\n)/g, escapeControl)
    .replace(/^([ \t>]*)(::|##\[|##vso\[)/gm, (_, lead: string, cmd: string) => `${lead}${cmd[0]}\u200b${cmd.slice(1)}`);
}
