import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { PasswordPolicyView, PersonalDeliveryView, TotpEnrolmentView } from '../../../../domain/api/admin.ts';
import type { SessionView } from '../../../../domain/api/session.ts';
import { api } from '../../../lib/api.ts';

/** The policy in force, for the change-password form's live hints (the server checks again). */
export function usePasswordPolicy() {
  return useQuery({ queryKey: ['password-policy'], queryFn: () => api.get<PasswordPolicyView>('/api/auth/password-policy') });
}

export function useChangePassword() {
  return useMutation({
    mutationFn: (body: { currentPassword: string; newPassword: string }) => api.post<SessionView>('/api/auth/password', body),
  });
}

export function useStartTotp() {
  return useMutation({ mutationFn: () => api.post<TotpEnrolmentView>('/api/auth/totp/enrol') });
}

export function useConfirmTotp() {
  return useMutation({ mutationFn: (code: string) => api.post<SessionView>('/api/auth/totp/confirm', { code }) });
}

/** The signed-in person's own e-mail and 邮件提醒 (issue 16). */
export function useMyDelivery() {
  return useQuery({ queryKey: ['my-delivery'], queryFn: () => api.get<PersonalDeliveryView>('/api/me/delivery') });
}

export function useSetMyDelivery() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: PersonalDeliveryView) => api.put<PersonalDeliveryView>('/api/me/delivery', body),
    onSuccess: (view) => client.setQueryData(['my-delivery'], view),
  });
}
