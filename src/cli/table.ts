import { stripVTControlCharacters } from 'node:util';

/**
 * Lays rows out in aligned columns (colour codes do not count towards widths). Trailing empty
 * cells are dropped so that lines do not end in spaces.
 */
export function table(rows: readonly (readonly string[])[], indent = '  '): string {
  const widths: number[] = [];
  for (const row of rows) {
    row.forEach((cell, i) => {
      widths[i] = Math.max(widths[i] ?? 0, stripVTControlCharacters(cell).length);
    });
  }
  return rows
    .map((row) => {
      const cells = row.map((cell, i) =>
        i === row.length - 1 ? cell : cell + ' '.repeat(widths[i]! - stripVTControlCharacters(cell).length),
      );
      return (indent + cells.join('  ')).trimEnd();
    })
    .join('\n');
}

/** `1 route`, `3 routes`. */
export function count(n: number, what: string): string {
  return `${n} ${what}${n === 1 ? '' : 's'}`;
}
