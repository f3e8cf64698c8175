/**
 * Which features matter: permutation importance and partial dependence.
 */
export * from './explain-types';
