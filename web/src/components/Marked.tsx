import { segments, type Range } from '../lib/text';

/**
 * Hostile text with marked ranges, rendered as text nodes only: each segment is a string child
 * of a <span>/<mark>, so markup in the text stays text. `classOf` picks a class per range.
 */
export function Marked({ text, ranges, classOf, titleOf }: {
  text: string;
  ranges: readonly Range[];
  classOf?: (index: number) => string;
  titleOf?: (index: number) => string;
}) {
  return (
    <>
      {segments(text, ranges).map((s, i) =>
        s.mark < 0
          ? <span key={i}>{s.text}</span>
          : <mark key={i} className={classOf?.(s.mark) ?? 'hit'} title={titleOf?.(s.mark)}>{s.text}</mark>,
      )}
    </>
  );
}
