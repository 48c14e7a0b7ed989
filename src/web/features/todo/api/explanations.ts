import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../../lib/api.ts';

const explanationKeys = { ofUnit: (unitId: number) => ['units', unitId, 'explanations'] as const };

/** 请说明 the office sent the unit and it has not answered yet (GET /api/units/:unitId/explanations). */
export function useUnitExplanations(unitId: number | null) {
  return useQuery({
    queryKey: explanationKeys.ofUnit(unitId ?? 0),
    queryFn: () => api.GET('/api/units/{unitId}/explanations', { params: { path: { unitId: unitId! } } }),
    enabled: unitId !== null,
  });
}

/** The unit's reply (PUT /api/explanations/:id). */
export function useReplyExplanation(unitId: number) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ id, reply }: { id: number; reply: string }) =>
      api.PUT('/api/explanations/{explanationId}', { params: { path: { explanationId: id } }, body: { reply } }),
    onSuccess: () => void client.invalidateQueries({ queryKey: explanationKeys.ofUnit(unitId) }),
  });
}
