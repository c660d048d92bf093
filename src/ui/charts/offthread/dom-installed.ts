/**
 * The worker's document, made as this module is evaluated: import it before
 * react-dom and recharts (render.ts does), which look for a window as they
 * load. Static imports keep the worker one self-contained chunk; dynamic
 * ones made the bundler share React with the page's entry and split it.
 */
import { installDom } from './dom';

export const chartDocument = installDom();
