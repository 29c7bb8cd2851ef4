import {
  addDays,
  addMonthsClamped,
  addMonthsToMonth,
  CivilDate,
  lastDayOf,
  monthOf,
  periodEnd,
  YearMonth,
} from './civil-date';

/** Art. 11: 最低利用期間は３ヶ月とする。起算日は、課金開始日とする。 */
export const MINIMUM_TERM_MONTHS = 3;
/** Art. 12.8: 本サービス終了日から起算して2週間以内に当社に到着させる. */
export const EQUIPMENT_RETURN_DAYS = 14;

/** Art. 9: サービス開始日の翌日を課金開始日とする (every product: the opening test fixes service start). */
export function billingStartFor(serviceStart: CivilDate): CivilDate {
  return addDays(serviceStart, 1);
}

/**
 * Last day of the minimum term: three months counted from (and including) the billing start, ending
 * the day before the same day-of-month; when that month has no such day, on its last day (民法 143条).
 * The rules' "use that month's last day" is read as the Civil Code reads it, so a term starting on
 * 30 November ends on the last day of February, not the day before it.
 */
export function minimumTermEndFor(billingStart: CivilDate): CivilDate {
  return periodEnd(billingStart, MINIMUM_TERM_MONTHS);
}

/**
 * Art. 12.1: 解約申し込みは毎月末日に締め切り、翌月末日をもってサービス終了 — requests close at each month's end
 * and the service ends on the last day of the following month, whichever day the request came.
 */
export function serviceEndForCancellation(requestedOn: CivilDate): CivilDate {
  return lastDayOf(addMonthsToMonth(monthOf(requestedOn), 1));
}

/** Art. 12.8: the equipment must arrive within two weeks counted from the day after the service end. */
export function equipmentReturnDeadlineFor(serviceEnd: CivilDate): CivilDate {
  return addDays(serviceEnd, EQUIPMENT_RETURN_DAYS);
}

/**
 * Art. 21.2: １ヶ月以上前に通知 — the earliest last day of service a notice given on `noticeOn` allows:
 * one month after it (the same day-of-month, or the last day of a shorter month). A notice on
 * 31 July allows an end on 31 August; on 31 January 2028, an end on 29 February 2028.
 */
export function earliestVendorTerminationEnd(noticeOn: CivilDate): CivilDate {
  return addMonthsClamped(noticeOn, 1);
}

/**
 * Whole months from `from` (counted) to `lastDay` (counted), a month counted from `from` ending the
 * day before the same day-of-month of the next month (Art. 13.7: ひと月未満の端数はカットする).
 */
export function wholeMonthsWithin(from: CivilDate, lastDay: CivilDate): number {
  let months = 0;
  while (periodEnd(from, months + 1) <= lastDay) months++;
  return months;
}

/** The invoice for month M is due on the last day of month M+1 (Art. 10.4: 翌月末までに支払う). */
export function dueDateFor(invoiceMonth: YearMonth): CivilDate {
  return lastDayOf(addMonthsToMonth(invoiceMonth, 1));
}
