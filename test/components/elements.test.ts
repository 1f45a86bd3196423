// The elements from the sources.
import '../../src/components/index.js';
import { addonPickerSuite, addressSuite, checkoutSuite, creditBalanceSuite, planPickerSuite } from './suites/index.js';

planPickerSuite();
addonPickerSuite();
addressSuite();
creditBalanceSuite();
checkoutSuite();
