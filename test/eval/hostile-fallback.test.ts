// The same containment checks without bubblewrap (BATCODER_NO_BWRAP=1): the unshare +
// setpriv + prlimit fallback a machine without bwrap gets. Set before the first sandbox
// call: sandboxInfo() reads the environment once, lazily.
process.env.BATCODER_NO_BWRAP = '1';
process.env.BATCODER_HOSTILE_UID = '64600'; // not shared with hostile.test.ts, which may run at the same time
await import('./hostile.test.js');
