// placeholder (UTF-8 byte count: a hard upper bound), replaced by the calibrated estimate
export function estimateTokens(text: string): number {
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    n += c < 0x80 ? 1 : c < 0x800 ? 2 : 3;
  }
  return n;
}

export function estimateLineTokens(line: string): number {
  return estimateTokens(line) + 1;
}
