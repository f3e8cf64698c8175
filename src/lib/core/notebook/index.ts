/**
 * Notebooks: the cells and their records, merging a shared notebook into
 * this one, and the small Markdown of note cells.
 */
export * from './markdown';
export * from './notebook';
export * from './notebook-merge';
export * from './cell-extra';
