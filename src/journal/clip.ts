/** `text`, or its first `max` characters and how many more there were: what a journal entry keeps of a string. */
export function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max)}…[${text.length - max} more characters]`;
}
