import { Injectable, inject } from '@angular/core';
import { Observable, catchError, forkJoin, of, shareReplay } from 'rxjs';
import { FieldDefinition, PopupApi } from '../popup.api';
import type { RankView } from '../realtime/popup-protocol';

export interface DirectoryRules {
  ranks: RankView[];
  fields: FieldDefinition[];
}

/** The tenant's ranks and custom fields, read once per session for every form that needs them. */
@Injectable({ providedIn: 'root' })
export class DirectoryRulesStore {
  private readonly api = inject(PopupApi);
  private cached: Observable<DirectoryRules> | null = null;

  load(): Observable<DirectoryRules> {
    this.cached ??= forkJoin({ ranks: this.api.ranks(), fields: this.api.fields() }).pipe(
      // A failed read is not kept: the next form tries again.
      catchError(() => {
        this.cached = null;
        return of({ ranks: [], fields: [] });
      }),
      shareReplay(1),
    );
    return this.cached;
  }
}
