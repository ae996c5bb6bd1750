/** A numeric command-line option within bounds, or one clear line on stderr and exit 2 (the scripts' bad-input rule). */
export function numberOption(tool: string) {
  return (name: string, v: string, min: number, max: number): number => {
    const n = Number(v);
    if (!Number.isFinite(n) || n < min || n > max) {
      console.error(`${tool}: --${name} must be a number from ${min} to ${max}, got ${v}`);
      process.exit(2);
    }
    return n;
  };
}
