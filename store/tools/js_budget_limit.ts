/** The budget: 30 KB of minified JavaScript per page. */
export const pageJsBytesMax = 30 * 1024;
