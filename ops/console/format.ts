/** Requests per second on a chart: a rate reads the same in every language here. */
export function formatRate(perSecond: number): string {
  return perSecond >= 100 ? `${perSecond.toFixed(0)}/s` : `${perSecond.toFixed(1)}/s`;
}
