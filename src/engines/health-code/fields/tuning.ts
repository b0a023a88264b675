/**
 * Every tuning value of the layout-free extraction, each with the reason it has this value.
 * Distances are in multiples of the line height of the text involved, so they hold at any
 * screenshot width.
 */

/** A line read with a lower mean character probability is not trusted for any value. */
export const MIN_LINE_SCORE = 0.5;
/**
 * A tick or quotation mark after a character is taken for a mask's star only on a line read at
 * least this surely: on small pages the mark came with a misread given name or another member's
 * name (scores 0.62–0.74 on the development seeds), a star at a line's end on a clear page at 0.93.
 */
export const TICK_STAR_MIN_SCORE = 0.8;
/** 阳性 is reported only above this: a false positive is the worst error this action can make. */
export const POSITIVE_MIN_SCORE = 0.9;
/** Two lines are on one row when their vertical extents overlap by this share of the smaller. */
export const SAME_ROW_OVERLAP = 0.5;
/** A value to the right of its label lies at most this many line heights away: right-aligned values on a wide page sit 20 and more heights from their label. */
export const RIGHT_GAP = 30;
/** A value under its label starts at most this many line heights lower (label above value). */
export const BELOW_GAP = 2.2;
/** A card heading governs lines at most this many of their line heights below it. */
export const CARD_REACH = 8;
/** Two parts of a split value (date over time, "48" over "小时") are at most this many heights apart. */
export const PART_GAP = 1.6;
/** A fixed phrase (vaccination state, no-test notice) may have this share of its characters misread: brush and display fonts lose two or three of seven. */
export const VOCAB_MAX_ERRORS = 0.45;
/** Boxes of one letter-spaced name (王 * 一) are at most this many of their heights apart: wider than a word's own spacing, narrower than a gap between columns. */
export const SPACED_GAP = 1.5;
/** Head and tail digits of an ID whose star run went undetected lie this many of their heights apart (14 stars, each about half a digit wide and spaced, come to 7–9). */
export const SPLIT_ID_GAP: readonly [number, number] = [3, 16];
/** Lines at least this many heights long give the page's tilt (a short word's box angle is rough). */
export const DESKEW_LINE_LENGTH = 4;
/** A page tilted less than this (dy/dx, about 1°) is read as it is: rows stay rows within it. */
export const DESKEW_MIN_SLOPE = 0.0175;
/** A venue word's character among the recogniser's choices needs this much to mend a place's last word: the right ones of the development misreads had 0.09–0.45; a few hundredths is the recogniser's noise. */
export const VENUE_CHOICE_PROB = 0.03;
