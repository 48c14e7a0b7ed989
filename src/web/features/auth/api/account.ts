import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, type ApiBody } from '../../../lib/api.ts';

/** The policy in force, for the change-password form's live hints (the server checks again). */
export function usePasswordPolicy() {
  return useQuery({ queryKey: ['password-policy'], queryFn: () => api.GET('/api/auth/password-policy') });
}

export function useChangePassword() {
  return useMutation({
    mutationFn: (body: ApiBody<'/api/auth/password', 'post'>) => api.POST('/api/auth/password', { body }),
  });
}

export function useStartTotp() {
  return useMutation({ mutationFn: () => api.POST('/api/auth/totp/enrol', { body: {} }) });
}

export function useConfirmTotp() {
  return useMutation({ mutationFn: (code: string) => api.POST('/api/auth/totp/confirm', { body: { code } }) });
}

/** The signed-in person's own e-mail and 邮件提醒 (issue 16). */
export function useMyDelivery() {
  return useQuery({ queryKey: ['my-delivery'], queryFn: () => api.GET('/api/me/delivery') });
}

export function useSetMyDelivery() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: ApiBody<'/api/me/delivery', 'put'>) => api.PUT('/api/me/delivery', { body }),
    onSuccess: (view) => client.setQueryData(['my-delivery'], view),
  });
}
