/** One series of the llama.cpp Prometheus exposition. */
export type MetricSeries = {
  readonly name: string;
  readonly help: string;
  readonly type: 'counter' | 'gauge';
  readonly value: number;
};

/**
 * Formats a number the way llama.cpp's `std::stringstream << double` does (`%g`, 6 significant
 * digits): `0.005`, `20000`, `4637.68`, `2.46846`, and `1.23457e+06` once a counter is large.
 */
export function formatG(value: number): string {
  if (!Number.isFinite(value)) return value > 0 ? 'inf' : value < 0 ? '-inf' : 'nan';
  if (value === 0) return '0';
  const exponent = Math.floor(Math.log10(Math.abs(Number(value.toPrecision(6)))));
  if (exponent < -4 || exponent >= 6) {
    const [mantissa = '0', exp = '0'] = value.toExponential(5).split('e');
    const trimmed = mantissa.includes('.') ? mantissa.replace(/0+$/, '').replace(/\.$/, '') : mantissa;
    const expNumber = Number(exp);
    const sign = expNumber < 0 ? '-' : '+';
    return `${trimmed}e${sign}${String(Math.abs(expNumber)).padStart(2, '0')}`;
  }
  const fixed = value.toFixed(Math.max(0, 5 - exponent));
  return fixed.includes('.') ? fixed.replace(/0+$/, '').replace(/\.$/, '') : fixed;
}

/** Renders series exactly as llama-server b9694 does: HELP, TYPE, then the unlabelled value. */
export function renderPrometheus(series: readonly MetricSeries[]): string {
  let out = '';
  for (const s of series) {
    const full = `llamacpp:${s.name}`;
    out += `# HELP ${full} ${s.help}\n# TYPE ${full} ${s.type}\n${full} ${formatG(s.value)}\n`;
  }
  return out;
}
