import { Injectable, Logger } from '@nestjs/common';
import nodemailer, { Transporter } from 'nodemailer';

export interface SmtpSettings {
  host: string;
  port: number;
  /** Implicit TLS (465); otherwise STARTTLS is used when the server offers it. */
  secure: boolean;
  user?: string;
  password?: string;
  from: string;
}

export interface OutgoingMail {
  to: string;
  subject: string;
  text: string;
}

/** Sends mail through the SMTP server chosen in the setup wizard. */
@Injectable()
export class MailService {
  private readonly logger = new Logger(MailService.name);
  private settings: SmtpSettings | null = null;
  private transport: Transporter | null = null;

  configure(settings: SmtpSettings | null): void {
    this.transport?.close();
    this.settings = settings;
    this.transport = settings ? MailService.createTransport(settings) : null;
  }

  get configured(): boolean {
    return this.transport !== null;
  }

  static createTransport(s: SmtpSettings): Transporter {
    return nodemailer.createTransport({
      host: s.host,
      port: s.port,
      secure: s.secure,
      auth: s.user ? { user: s.user, pass: s.password ?? '' } : undefined,
      connectionTimeout: 10_000,
      greetingTimeout: 10_000,
      socketTimeout: 20_000,
    });
  }

  async send(mail: OutgoingMail): Promise<void> {
    if (!this.transport || !this.settings) throw new Error('mail is not configured');
    await this.transport.sendMail({ from: this.settings.from, ...mail });
    this.logger.log(`mail sent: "${mail.subject}"`);
  }

  /** Connects and authenticates without sending (readiness check). */
  async verify(): Promise<void> {
    if (!this.transport) throw new Error('mail is not configured');
    await this.transport.verify();
  }

  /** Sends a real message with settings that are not saved yet (the wizard's test button). */
  static async sendTest(settings: SmtpSettings, to: string, mail: Omit<OutgoingMail, 'to'>): Promise<string> {
    const transport = MailService.createTransport(settings);
    try {
      const info = await transport.sendMail({ from: settings.from, to, ...mail });
      return info.messageId;
    } finally {
      transport.close();
    }
  }
}
