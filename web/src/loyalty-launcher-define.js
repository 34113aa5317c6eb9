// Registers <loyalty-launcher>. Import this module for the side effect, or call define() yourself.
import { LoyaltyLauncher } from './loyalty-launcher.js';

LoyaltyLauncher.define();
export { LoyaltyLauncher };
