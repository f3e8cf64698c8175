/** What a run was trained with, recorded so a result can be traced and reproduced. */
import * as tf from '@tensorflow/tfjs';
import type { EnvironmentInfo } from '../core/training';

/** The app version baked in at build time (package.json's version). */
export const APP_VERSION: string = __APP_VERSION__;

/** The environment of the current thread (worker or page). */
export function environmentInfo(): EnvironmentInfo {
  const nav = typeof navigator === 'undefined' ? undefined : navigator;
  return {
    appVersion: APP_VERSION,
    tfjsVersion: tf.version.tfjs,
    userAgent: nav?.userAgent ?? 'unknown (no navigator)',
    hardwareConcurrency: nav?.hardwareConcurrency ?? 1,
  };
}
