import { useMutation, useQuery } from '@tanstack/react-query';
import type { PasswordPolicyView, TotpEnrolmentView } from '../../../../domain/api/admin.ts';
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
