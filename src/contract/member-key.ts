// How include/exclude entries and member ids are compared: by canonical id, so that "0200000000000"
// in a configuration names member 200000000000, as the cloud counts it.

/** An id's digits without leading zeros; a name (anything but digits) as it is. */
export function canonicalMemberKey(text: string): string {
  return /^\d+$/.test(text) ? text.replace(/^0+(?=\d)/, '') : text;
}
