// The pass protocol under the unshare jail (no bubblewrap): the nonce travels on stdin
// through unshare, the jail script and chroot. Set before the first sandbox call.
process.env.BATCODER_NO_BWRAP = '1';
process.env.BATCODER_PROTOCOL_UID = '64800'; // not shared with pass-protocol.test.ts
await import('./pass-protocol.test.js');
