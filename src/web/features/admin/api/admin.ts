import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { WebhookKind } from '../../../../domain/delivery-addresses.ts';
import type { AccountView, DeliveryFailureView, PasswordPolicyView, SystemSettingsView, TemporaryPasswordView, UnitView } from '../../../../domain/api/admin.ts';
import type { PasswordPolicy } from '../../../../domain/accounts.ts';
import type { Role } from '../../../../domain/api/roles.ts';
import type { OrganisationProfileView } from '../../../../domain/api/organisation-profile.ts';
import type { OrganisationProfile } from '../../../../domain/organisation-profile.ts';
import { api } from '../../../lib/api.ts';
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

export const useAccounts = () => useQuery({ queryKey: adminKeys.accounts, queryFn: () => api.get<AccountView[]>('/api/admin/accounts') });
export const useUnits = (enabled = true) => useQuery({ queryKey: adminKeys.units, queryFn: () => api.get<UnitView[]>('/api/admin/units'), enabled });
/** Addresses whose messages fail (issue 16; system admin only): read with the units, again every minute. */
export const useDeliveryFailures = (enabled = true) =>
  useQuery({ queryKey: adminKeys.deliveryFailures, queryFn: () => api.get<DeliveryFailureView[]>('/api/admin/delivery-failures'), enabled, refetchInterval: 60_000 });
export const useSystemSettings = () => useQuery({ queryKey: adminKeys.settings, queryFn: () => api.get<SystemSettingsView>('/api/admin/settings') });
export const useAdminPasswordPolicy = () => useQuery({ queryKey: adminKeys.policy, queryFn: () => api.get<PasswordPolicyView>('/api/admin/password-policy') });

/** A unit's e-mail and robot as PUT /api/admin/units/:unitId takes them: `url`/`secret` left out stay as stored. */
export interface UnitAddressChange {
  email: string | null;
  webhook: { kind: WebhookKind; url?: string; secret?: string } | null;
}

export interface NewAccount {
  username: string;
  displayName: string;
  role: Role;
  unitId: number | null;
  phone: string | null;
}

/** Every account action answers the changed account (or a temporary password); the list is refetched. */
export function useAccountAction() {
  const client = useQueryClient();
  const done = () => void client.invalidateQueries({ queryKey: adminKeys.accounts });
  return {
    create: useMutation({ mutationFn: (body: NewAccount) => api.post<TemporaryPasswordView>('/api/admin/accounts', body), onSuccess: done }),
    action: useMutation({
      mutationFn: ({ userId, action }: { userId: number; action: 'disable' | 'enable' | 'unlock' | 'reset-totp' }) =>
        api.post<AccountView>(`/api/admin/accounts/${userId}/${action}`),
      onSuccess: done,
    }),
    resetPassword: useMutation({ mutationFn: (userId: number) => api.post<TemporaryPasswordView>(`/api/admin/accounts/${userId}/reset-password`), onSuccess: done }),
    changeRole: useMutation({
      mutationFn: ({ userId, role, unitId }: { userId: number; role: Role; unitId: number | null }) => api.put<AccountView>(`/api/admin/accounts/${userId}/role`, { role, unitId }),
      onSuccess: done,
    }),
  };
}

export function useUnitActions() {
  const client = useQueryClient();
  const done = () => void client.invalidateQueries({ queryKey: adminKeys.units });
  return {
    create: useMutation({ mutationFn: (body: { name: string; phone: string | null }) => api.post<UnitView>('/api/admin/units', body), onSuccess: done }),
    setPhone: useMutation({ mutationFn: ({ unitId, phone }: { unitId: number; phone: string | null }) => api.put<UnitView>(`/api/admin/units/${unitId}`, { phone }), onSuccess: done }),
    setAddresses: useMutation({ mutationFn: ({ unitId, ...body }: { unitId: number } & UnitAddressChange) => api.put<UnitView>(`/api/admin/units/${unitId}`, body), onSuccess: done }),
    setCollective: useMutation({
      mutationFn: ({ unitId, collective }: { unitId: number; collective: boolean }) => api.put<UnitView>(`/api/admin/units/${unitId}/collective`, { collective }),
      onSuccess: done,
    }),
    setMembers: useMutation({
      mutationFn: ({ unitId, memberUnitIds }: { unitId: number; memberUnitIds: number[] }) => api.put<UnitView>(`/api/admin/units/${unitId}/members`, { memberUnitIds }),
      onSuccess: done,
    }),
  };
}

export function useSetPasswordPolicy() {
  const client = useQueryClient();
  return useMutation({
    // Only the policy's own fields: the form starts from the whole view (customised, updatedAt …), and the server refuses fields it does not know.
    mutationFn: ({ minLength, minClasses, history }: PasswordPolicy) => api.put<PasswordPolicyView>('/api/admin/password-policy', { minLength, minClasses, history }),
    onSuccess: (view) => client.setQueryData(adminKeys.policy, view),
  });
}

export const useOrganisationProfile = () => useOrganisation();

export function useSetOrganisationProfile() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (profile: OrganisationProfile) => api.put<OrganisationProfileView>('/api/admin/organisation-profile', profile),
    onSuccess: (view) => {
      setDepartmentTimeZone(view.timeZone);
      client.setQueryData(adminKeys.profile, view);
    },
  });
}
