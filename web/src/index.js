// ES module entry for bundlers: the element class (not registered) and its helpers.
export { LoyaltyLauncher, SECTIONS } from './loyalty-launcher.js';
