import { FormControl, FormGroup } from '@angular/forms';
import { matchValidator, passwordPolicyValidator } from './password-policy';

describe('password policy validator', () => {
  const check = (password: string, email = 'taro.yamada@example.jp') => {
    const form = new FormGroup({
      email: new FormControl(email),
      password: new FormControl(password, passwordPolicyValidator('email')),
    });
    // As when typing: the control is revalidated once it sits in its group.
    form.controls.password.updateValueAndValidity();
    return form.controls.password.errors;
  };

  it('accepts 10+ characters with three character classes', () => {
    expect(check('Sakura2024x')).toBeNull();
  });

  it('rejects short or too uniform passwords', () => {
    expect(check('Ab1!')).toEqual({ policy: true });
    expect(check('abcdefghijkl')).toEqual({ policy: true });
  });

  it("rejects passwords containing the email's local part", () => {
    expect(check('Taro.Yamada99')).toEqual({ policy: true });
  });

  it('flags a confirmation that does not match', () => {
    const form = new FormGroup(
      { password: new FormControl('Sakura2024x'), confirm: new FormControl('Sakura2024y') },
      { validators: matchValidator('password', 'confirm') },
    );
    expect(form.controls.confirm.hasError('mismatch')).toBe(true);
    form.controls.confirm.setValue('Sakura2024x');
    expect(form.controls.confirm.errors).toBeNull();
  });
});
