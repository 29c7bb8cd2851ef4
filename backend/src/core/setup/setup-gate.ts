import type { NextFunction, Request, Response } from 'express';
import type { SetupService } from './setup.service';

/**
 * Express middleware in front of every route. Until an administrator exists only the setup flow
 * and health answer (503 otherwise); once setup is complete the wizard endpoints answer 409.
 */
export function setupGate(setup: SetupService) {
  return async (req: Request, res: Response, next: NextFunction) => {
    const path = req.path;
    if (!path.startsWith('/api/')) return next();
    try {
      if (path.startsWith('/api/setup/') && path !== '/api/setup/status' && (await setup.isComplete())) {
        res.status(409).json({ statusCode: 409, error: 'Conflict', message: 'setup is already complete' });
        return;
      }
      const open = /^\/api\/(setup\/|health|metrics|openapi\.json|docs)/.test(path);
      if (!open && !(await setup.adminExists())) {
        res
          .status(503)
          .json({ statusCode: 503, error: 'Service Unavailable', message: 'setup required: open the setup wizard' });
        return;
      }
      next();
    } catch (error) {
      next(error);
    }
  };
}
