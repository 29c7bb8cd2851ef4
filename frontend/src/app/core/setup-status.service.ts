import { HttpClient } from '@angular/common/http';
import { Injectable, inject, signal } from '@angular/core';
import { Observable, catchError, map, of, tap } from 'rxjs';

/** Whether the first-run wizard has been completed (server flag). */
@Injectable({ providedIn: 'root' })
export class SetupStatusService {
  private readonly http = inject(HttpClient);
  readonly complete = signal<boolean | null>(null);

  check(): Observable<boolean> {
    // Once complete it never goes back, so the answer can be cached.
    if (this.complete() === true) return of(true);
    return this.http.get<{ setupComplete: boolean }>('/api/setup/status').pipe(
      map((r) => r.setupComplete),
      tap((c) => this.complete.set(c)),
      // If the server cannot answer, do not trap the user in the wizard.
      catchError(() => of(true)),
    );
  }

  markComplete(): void {
    this.complete.set(true);
  }
}
