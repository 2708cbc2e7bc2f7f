/** 1-based line and column of a UTF-16 offset in a text (for messages that name where in an input a problem is). */
export function offsetToLineColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  let next = text.indexOf('\n');
  while (next !== -1 && next < offset) {
    line += 1;
    lineStart = next + 1;
    next = text.indexOf('\n', lineStart);
  }
  return { line, column: offset - lineStart + 1 };
}
