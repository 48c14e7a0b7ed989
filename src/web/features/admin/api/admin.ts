import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { WebhookKind } from '../../../../domain/delivery-addresses.ts';
import type { PasswordPolicy } from '../../../../domain/accounts.ts';
import type { Role } from '../../../../domain/api/roles.ts';
import { api, type ApiBody } from '../../../lib/api.ts';
import { setDepartmentTimeZone } from '../../../lib/format.ts';
import { organisationKey, useOrganisation } from '../../../lib/organisation.ts';

export const adminKeys = {
  accounts: ['admin', 'accounts'] as const,
  units: ['admin', 'units'] as const,
  settings: ['admin', 'settings'] as const,
  policy: ['admin', 'password-policy'] as const,
  deliveryFailures: ['admin', 'delivery-failures'] as const,
  profile: organisationKey,
};

export const useAccounts = () => useQuery({ queryKey: adminKeys.accounts, queryFn: () => api.GET('/api/admin/accounts') });
export const useUnits = (enabled = true) => useQuery({ queryKey: adminKeys.units, queryFn: () => api.GET('/api/admin/units'), enabled });
/** Addresses whose messages fail (issue 16; system admin only): read with the units, again every minute. */
export const useDeliveryFailures = (enabled = true) =>
  useQuery({ queryKey: adminKeys.deliveryFailures, queryFn: () => api.GET('/api/admin/delivery-failures'), enabled, refetchInterval: 60_000 });
export const useSystemSettings = () => useQuery({ queryKey: adminKeys.settings, queryFn: () => api.GET('/api/admin/settings') });
export const useAdminPasswordPolicy = () => useQuery({ queryKey: adminKeys.policy, queryFn: () => api.GET('/api/admin/password-policy') });

/** A unit's e-mail and robot as PUT /api/admin/units/:unitId takes them: `url`/`secret` left out stay as stored. */
type UnitChange = ApiBody<'/api/admin/units/{unitId}', 'put'>;
/** The route takes any kind and names a wrong one in its answer; the form offers only the known kinds. */
export type UnitAddressChange = {
  email: NonNullable<UnitChange['email']> | null;
  webhook: (NonNullable<UnitChange['webhook']> & { kind: WebhookKind }) | null;
};

export type NewAccount = ApiBody<'/api/admin/accounts', 'post'>;

/** Every account action answers the changed account (or a temporary password); the list is refetched. */
export function useAccountAction() {
  const client = useQueryClient();
  const done = () => void client.invalidateQueries({ queryKey: adminKeys.accounts });
  return {
    create: useMutation({ mutationFn: (body: NewAccount) => api.POST('/api/admin/accounts', { body }), onSuccess: done }),
    action: useMutation({
      mutationFn: ({ userId, action }: { userId: number; action: 'disable' | 'enable' | 'unlock' | 'reset-totp' }) =>
        api.POST(`/api/admin/accounts/{userId}/${action}`, { params: { path: { userId } }, body: {} }),
      onSuccess: done,
    }),
    resetPassword: useMutation({
      mutationFn: (userId: number) => api.POST('/api/admin/accounts/{userId}/reset-password', { params: { path: { userId } }, body: {} }),
      onSuccess: done,
    }),
    changeRole: useMutation({
      mutationFn: ({ userId, role, unitId }: { userId: number; role: Role; unitId: number | null }) =>
        api.PUT('/api/admin/accounts/{userId}/role', { params: { path: { userId } }, body: { role, unitId } }),
      onSuccess: done,
    }),
  };
}

export function useUnitActions() {
  const client = useQueryClient();
  const done = () => void client.invalidateQueries({ queryKey: adminKeys.units });
  return {
    create: useMutation({ mutationFn: (body: ApiBody<'/api/admin/units', 'post'>) => api.POST('/api/admin/units', { body }), onSuccess: done }),
    setPhone: useMutation({
      mutationFn: ({ unitId, phone }: { unitId: number; phone: string | null }) =>
        api.PUT('/api/admin/units/{unitId}', { params: { path: { unitId } }, body: { phone } }),
      onSuccess: done,
    }),
    setAddresses: useMutation({
      mutationFn: ({ unitId, ...body }: { unitId: number } & UnitAddressChange) => api.PUT('/api/admin/units/{unitId}', { params: { path: { unitId } }, body }),
      onSuccess: done,
    }),
    setCollective: useMutation({
      mutationFn: ({ unitId, collective }: { unitId: number; collective: boolean }) =>
        api.PUT('/api/admin/units/{unitId}/collective', { params: { path: { unitId } }, body: { collective } }),
      onSuccess: done,
    }),
    setMembers: useMutation({
      mutationFn: ({ unitId, memberUnitIds }: { unitId: number; memberUnitIds: number[] }) =>
        api.PUT('/api/admin/units/{unitId}/members', { params: { path: { unitId } }, body: { memberUnitIds } }),
      onSuccess: done,
    }),
  };
}

export function useSetPasswordPolicy() {
  const client = useQueryClient();
  return useMutation({
    // Only the policy's own fields: the form starts from the whole view (customised, updatedAt …), and the server refuses fields it does not know.
    mutationFn: ({ minLength, minClasses, history }: PasswordPolicy) => api.PUT('/api/admin/password-policy', { body: { minLength, minClasses, history } }),
    onSuccess: (view) => client.setQueryData(adminKeys.policy, view),
  });
}

export const useOrganisationProfile = () => useOrganisation();

export function useSetOrganisationProfile() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (profile: ApiBody<'/api/admin/organisation-profile', 'put'>) => api.PUT('/api/admin/organisation-profile', { body: profile }),
    onSuccess: (view) => {
      setDepartmentTimeZone(view.timeZone);
      client.setQueryData(adminKeys.profile, view);
    },
  });
}
