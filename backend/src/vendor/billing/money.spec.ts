import { consumptionTax, delayDamages, mulDivFloor, prorate } from './money';

describe('money', () => {
  it('prorates by day and rounds down', () => {
    // 10000 × 17 / 31 = 5483.87 -> 5483 (the rules' example: 2026-03-15..31)
    expect(prorate(10000, 17, 31)).toBe(5483);
    // a whole month is exactly the fee
    expect(prorate(10000, 30, 30)).toBe(10000);
    // one day of a leap February: 10000 / 29 = 344.8 -> 344
    expect(prorate(10000, 1, 29)).toBe(344);
  });

  it('taxes 10%, rounded down, toward zero for a credit', () => {
    // 35483 × 10% = 3548.3 -> 3548
    expect(consumptionTax(35483)).toBe(3548);
    expect(consumptionTax(9)).toBe(0);
    // a refund of 53334: −5333.4 -> −5333 (never more tax back than was charged)
    expect(consumptionTax(-53334)).toBe(-5333);
  });

  it('charges 14.5% a year by day on a late total, rounded down', () => {
    // 39031 × 0.145 × 12 / 365 = 67913.94 / 365 = 186.07 -> 186
    expect(delayDamages(39031, 12)).toBe(186);
    // 160031 × 0.145 × 41 / 365 = 951384.295 / 365 = 2606.53 -> 2606
    expect(delayDamages(160031, 41)).toBe(2606);
    // 1000 × 0.145 × 1 / 365 = 0.397 -> 0
    expect(delayDamages(1000, 1)).toBe(0);
    expect(delayDamages(39031, 0)).toBe(0);
    expect(delayDamages(-5000, 30)).toBe(0);
  });

  it('stays exact where doubles would not', () => {
    // 3000 × 0.145 × 73 / 365 = 31755 / 365 = 87 exactly; in doubles 3000 * 0.145 * 73 / 365 is
    // 86.99999999999999, which a naive Math.floor would round to 86
    expect(delayDamages(3000, 73)).toBe(87);
    // 1e12 × 145 × 36500 = 5.3e18 needs more than 53 bits: 1e12 × 0.145 × 100 = 1.45e13
    expect(delayDamages(1_000_000_000_000, 36_500)).toBe(14_500_000_000_000);
    expect(mulDivFloor(9_007_199_254_740_991, 3, 3)).toBe(9_007_199_254_740_991);
    expect(() => mulDivFloor(1.5, 1, 1)).toThrow('whole number');
  });
});
