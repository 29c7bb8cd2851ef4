import { ConflictException, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { Brackets, DataSource, In } from 'typeorm';
import { AuditService } from '../../../core/audit/audit.service';
import { RequestContext } from '../../../core/tenancy/request-context';
import { InjectTenantRepository, TenantRepository } from '../../../core/tenancy/tenant-repository';
import { fieldError, fieldErrors } from '../../../platform/http/field-errors';
import { searchDigits } from '../../recordings/phone-number';
import { Customer, CustomerNumber, CustomerRank } from './customer.entities';
import type { CreateCustomerDto, UpdateCustomerDto } from './customer.dto';
import { checkCustomer, CustomerValues, phoneNumber } from './customer-input';
import { CustomerCard, customerCard, CustomerView, customerView, rankOf, storedValues } from './customer-view';
import { writeCustomers } from './customer-writer';
import { DirectorySettingsService } from './directory-settings.service';
import { containsPattern, foldKana } from './kana';

export interface CustomerPage {
  items: CustomerView[];
  total: number;
  page: number;
  pageSize: number;
}

/** A query that looks like a phone number fragment: digits with the usual separators. */
const NUMBER_LIKE = /^[\d\s\-()+]+$/;
const isDuplicate = (error: unknown) => /duplicate|unique/i.test((error as Error).message);

/** The current tenant's customers: CRUD, search and the popup's number lookup. */
@Injectable()
export class CustomersService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @InjectTenantRepository(Customer) private readonly customers: TenantRepository<Customer>,
    @InjectTenantRepository(CustomerNumber) private readonly numbers: TenantRepository<CustomerNumber>,
    private readonly settings: DirectorySettingsService,
    private readonly context: RequestContext,
    private readonly audit: AuditService,
  ) {}

  /**
   * The customers having this number (the popup's lookup, on the ringing call's path): one query
   * on the (tenantId, e164) index joined to the customer and its rank. Takes E.164 (+81312345678);
   * any other spelling of a number is normalised first. Withheld or unparseable: no match.
   */
  async matchNumber(e164: string): Promise<CustomerCard[]> {
    const number = /^\+\d{4,19}$/.test(e164) ? e164 : phoneNumber(e164)?.e164;
    if (!number) return [];
    const rows = await this.customers
      .query('c')
      .innerJoin(CustomerNumber, 'n', 'n.customerId = c.id AND n.tenantId = c.tenantId')
      .leftJoinAndMapOne('c.rank', CustomerRank, 'r', 'r.tenantId = c.tenantId AND r.code = c.rankCode')
      .andWhere('n.e164 = :number', { number })
      .orderBy('c.kanaKey', 'ASC')
      .addOrderBy('c.name', 'ASC')
      .getMany();
    const seen = new Set<string>();
    return rows
      .filter((c) => !seen.has(c.id) && seen.add(c.id))
      .map((c) => customerCard(c, rankOf(c.rankCode, null, c.rank)));
  }

  /** Name or company (contains), kana (hiragana and katakana alike) or any fragment of a number. */
  async search(q: string | undefined, page: number, pageSize: number): Promise<CustomerPage> {
    const qb = this.customers.query('c');
    const typed = (q ?? '').normalize('NFKC').trim();
    if (typed) {
      const digits = searchDigits(typed);
      qb.andWhere(
        new Brackets((w) => {
          w.where("c.name LIKE :text ESCAPE '!'", { text: containsPattern(typed) })
            .orWhere("c.company LIKE :text ESCAPE '!'")
            .orWhere("c.kanaKey LIKE :kana ESCAPE '!'", { kana: containsPattern(foldKana(typed)) });
          if (NUMBER_LIKE.test(typed) && digits.length >= 2) {
            const inner = this.numbers
              .query('n')
              .select('n.customerId')
              .andWhere("n.digits LIKE :digits ESCAPE '!'", { digits: containsPattern(digits) });
            w.orWhere(`c.id IN (${inner.getQuery()})`, inner.getParameters());
          }
        }),
      );
    }
    const total = await qb.getCount();
    const rows = await qb
      .orderBy('c.kanaKey', 'ASC')
      .addOrderBy('c.name', 'ASC')
      .addOrderBy('c.id', 'ASC')
      .skip((page - 1) * pageSize)
      .take(pageSize)
      .getMany();
    return { items: await this.views(rows), total, page, pageSize };
  }

  async get(id: string): Promise<CustomerView> {
    const [view] = await this.views([await this.customers.get({ id })]);
    return view;
  }

  async create(dto: CreateCustomerDto): Promise<CustomerView> {
    const { values, problems } = checkCustomer(dto, await this.settings.rules());
    if (problems.length) throw fieldErrors(problems);
    const id = randomUUID();
    await this.write(id, true, values);
    await this.audit.record({
      action: 'popup.customer.created',
      target: id,
      details: { numbers: values.numbers.length },
    });
    return this.get(id);
  }

  async update(id: string, dto: UpdateCustomerDto): Promise<CustomerView> {
    const customer = await this.customers.get({ id });
    const numbers = await this.numbers.find({ where: { customerId: id } });
    const { values, problems } = checkCustomer(dto, await this.settings.rules(), storedValues(customer, numbers));
    if (problems.length) throw fieldErrors(problems);
    await this.write(id, false, values, customer.createdAt);
    await this.audit.record({ action: 'popup.customer.updated', target: id, details: { changed: Object.keys(dto) } });
    return this.get(id);
  }

  async remove(id: string): Promise<void> {
    const customer = await this.customers.get({ id });
    await this.dataSource.transaction(async (m) => {
      await m.delete(CustomerNumber, { tenantId: customer.tenantId, customerId: id });
      await m.delete(Customer, { tenantId: customer.tenantId, id });
    });
    await this.audit.record({ action: 'popup.customer.deleted', target: id });
  }

  /** Full views (numbers, rank, defined custom fields) of stored rows, in their order. */
  async views(rows: Customer[]): Promise<CustomerView[]> {
    if (!rows.length) return [];
    const [rules, numbers] = await Promise.all([
      this.settings.rules(),
      this.numbers.find({ where: { customerId: In(rows.map((c) => c.id)) } }),
    ]);
    return rows.map((c) => customerView(c, numbers, rules));
  }

  private async write(id: string, isNew: boolean, values: CustomerValues, createdAt?: Date): Promise<void> {
    const tenantId = this.context.tenantId();
    if (values.externalId) {
      const holder = await this.customers.findOne({ externalId: values.externalId });
      if (holder && holder.id !== id)
        throw new ConflictException(fieldError('externalId', 'another customer has it').getResponse());
    }
    try {
      await this.dataSource.transaction((m) => writeCustomers(m, tenantId, [{ id, isNew, values, createdAt }]));
    } catch (error) {
      if (isDuplicate(error))
        throw new ConflictException(fieldError('externalId', 'another customer has it').getResponse());
      throw error;
    }
  }
}
