/** Window statistics: the pure function lives with the components that print it. */
export { seriesStats } from '../components/series-stats.js';
