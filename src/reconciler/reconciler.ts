/**
 * The single react-reconciler instance for this renderer.
 */
import createReconciler from 'react-reconciler';
import { hostConfig } from './host-config.js';

/** Shared reconciler; roots are created by root.ts and render-to-string.ts. */
export const reconciler = createReconciler(hostConfig);
