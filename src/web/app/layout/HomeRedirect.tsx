import { Navigate } from 'react-router';
import { Result } from 'antd';
import { ROLE_LABELS } from '../../../domain/api/roles.ts';
import { useCurrentUser } from '../../lib/session.ts';

/** Each role starts where its work is. */
export function HomeRedirect() {
  const user = useCurrentUser();
  switch (user.role) {
    case 'reporter':
    case 'unit_head':
      return <Navigate to="/todo" replace />;
    case 'office':
      return <Navigate to="/rounds" replace />;
    case 'leader':
      return <Navigate to="/leader" replace />;
    case 'supervisor':
      return <Navigate to="/province" replace />;
    case 'audit_admin':
      return <Navigate to="/audit" replace />;
    case 'platform_admin':
      return <Navigate to="/platform/organisations" replace />;
    case 'system_admin':
    case 'security_admin':
      return <Navigate to="/admin/accounts" replace />;
    default:
      return (
        <Result status="info" title={`${ROLE_LABELS[user.role]}，您好`} subTitle="三员账户不录入业务数据。账户、角色与审计日志的管理功能将在管理页面中提供。" />
      );
  }
}
