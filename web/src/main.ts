/**
 * The entry module has no React in it, so it runs as soon as this small file has arrived and
 * starts what the first page needs — the session check and, on the Overview, its data — while
 * React, the app and the chart code (all modulepreloaded by index.html) are still downloading
 * and being evaluated.
 */
import { OVERVIEW, SESSION, prefetch } from './lib/prefetch';
// uPlot's few rules go into the entry's stylesheet (linked by index.html), not a CSS file the
// app chunk would add later.
import 'uplot/dist/uPlot.min.css';
import './styles.css';

if (window.location.pathname === '/') prefetch(OVERVIEW);
prefetch(SESSION);
void import('./mount'); // already downloading: index.html preloads it
