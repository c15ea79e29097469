/**
 * The entry module has no React in it, so it runs as soon as this small file has arrived and
 * starts what the first page needs — the session check and, on the Overview, its data and the
 * chart code — while React and the app are still downloading and being evaluated.
 */
import { loadCharts } from './components/chart-loader';
import { OVERVIEW, SESSION, prefetch } from './lib/prefetch';
import './styles.css';

// The chart code first: static files are quick to serve, the overview takes the server longer.
if (window.location.pathname === '/') {
  loadCharts().catch(() => undefined); // a Chart that needs it tries again
  prefetch(OVERVIEW);
}
prefetch(SESSION);
void import('./mount'); // already downloading: index.html preloads it
