// The panel's sections, in the order the panel shows them: the names open(section), the
// `section` attribute, `#loyalty-<name>` hashes and the panel's nav all use.
export const SECTIONS = ['rewards', 'earn', 'referral', 'vip', 'activity'];
