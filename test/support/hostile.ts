// Inputs of the adversarial review (issue 11), shared by the tests that replay them.

/** 342 bytes that expand to 9^9 (387 million) strings when every alias is followed. */
export const ALIAS_BOMB = [
  'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]',
  ...'bcdefghi'.split('').map((name, index) => {
    const previous = 'abcdefgh'[index];
    return `${name}: &${name} [${Array.from({ length: 9 }, () => `*${previous}`).join(',')}]`;
  }),
  '',
].join('\n');
