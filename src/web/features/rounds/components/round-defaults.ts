import dayjs from 'dayjs';

/** 发起调度's default deadline: ten days after the period; never less than a week from today (a late round still needs time to answer). */
export function defaultDeadlineDate(periodEnd: string, today: dayjs.ConfigType = undefined): string {
  const afterPeriod = dayjs(periodEnd).add(10, 'day');
  const inAWeek = dayjs(today).add(7, 'day');
  return (afterPeriod.isAfter(inAWeek) ? afterPeriod : inAWeek).format('YYYY-MM-DD');
}
