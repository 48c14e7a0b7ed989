import { useQuery } from '@tanstack/react-query';
import { api } from '../../../lib/api.ts';

const provinceKeys = {
  rollUp: ['province', 'rollup'] as const,
  rounds: (code: string) => ['province', 'organisations', code, 'rounds'] as const,
};

/** 全省汇总: one row per organisation; refreshed every two minutes while open. */
export function useProvinceRollUp() {
  return useQuery({ queryKey: provinceKeys.rollUp, queryFn: () => api.GET('/api/province/rollup'), refetchInterval: 120_000 });
}

/** One organisation's rounds, read when its row is opened. */
export function useOrganisationRounds(code: string) {
  return useQuery({
    queryKey: provinceKeys.rounds(code),
    queryFn: () => api.GET('/api/province/organisations/{code}/rounds', { params: { path: { code } } }),
  });
}
