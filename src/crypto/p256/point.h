// SPDX-License-Identifier: Apache-2.0
// P-256 points: affine (x, y) and Jacobian (X, Y, Z) with x = X/Z^2, y = Y/Z^3, the point
// at infinity as Z = 0. The formulas are the Explicit-Formulas Database's for short
// Weierstrass curves with a = -3 (dbl-2001-b, add-2007-bl, madd-2007-bl). Variable time:
// only public points pass through here (verification). Templated on the field
// multiplication so that the portable and ADX paths each get their own inlined copy.
#pragma once

#include "crypto/p256/field.h"

namespace tern::crypto::p256 {

struct Affine {
  Fe x, y;  // Montgomery form
};

struct Jacobian {
  Fe x, y, z;  // Montgomery form; z == 0 is the point at infinity
};

template <void (*Mul)(Fe&, const Fe&, const Fe&), void (*Sqr)(Fe&, const Fe&)>
struct Curve {
  static void mul(Fe& r, const Fe& a, const Fe& b) { Mul(r, a, b); }
  static void sqr(Fe& r, const Fe& a) { Sqr(r, a); }

  static bool is_infinity(const Jacobian& p) { return fe_is_zero(p.z); }

  // r = 2p (3M + 5S). r may be p. Infinity doubles to infinity (Z3 comes out 0); P-256 has
  // no point of order 2, so no other case is special.
  static void dbl(Jacobian& r, const Jacobian& p) {
    Fe delta, gamma, beta, alpha, t, u;
    sqr(delta, p.z);
    sqr(gamma, p.y);
    mul(beta, p.x, gamma);
    fe_sub(t, p.x, delta);
    fe_add(u, p.x, delta);
    mul(alpha, t, u);
    fe_add(t, alpha, alpha);
    fe_add(alpha, t, alpha);  // 3(X - delta)(X + delta)
    // Z3 = (Y + Z)^2 - gamma - delta, before X and Y are overwritten.
    fe_add(t, p.y, p.z);
    sqr(u, t);
    fe_sub(u, u, gamma);
    fe_sub(r.z, u, delta);
    // X3 = alpha^2 - 8 beta
    Fe beta4;
    fe_double(beta4, beta);
    fe_double(beta4, beta4);
    sqr(t, alpha);
    fe_double(u, beta4);
    fe_sub(r.x, t, u);
    // Y3 = alpha (4 beta - X3) - 8 gamma^2
    fe_sub(t, beta4, r.x);
    mul(u, alpha, t);
    sqr(t, gamma);
    fe_double(t, t);
    fe_double(t, t);
    fe_double(t, t);
    fe_sub(r.y, u, t);
  }

  // r = p + q, both Jacobian (11M + 5S). r may alias p.
  static void add(Jacobian& r, const Jacobian& p, const Jacobian& q) {
    if (is_infinity(p)) {
      r = q;
      return;
    }
    if (is_infinity(q)) {
      r = p;
      return;
    }
    Fe z1z1, z2z2, u1, u2, s1, s2, h, rr, t;
    sqr(z1z1, p.z);
    sqr(z2z2, q.z);
    mul(u1, p.x, z2z2);
    mul(u2, q.x, z1z1);
    mul(t, q.z, z2z2);
    mul(s1, p.y, t);
    mul(t, p.z, z1z1);
    mul(s2, q.y, t);
    fe_sub(h, u2, u1);
    fe_sub(rr, s2, s1);
    if (fe_is_zero(h)) {
      if (fe_is_zero(rr)) {
        dbl(r, p);
      } else {
        r = Jacobian{};  // p = -q
      }
      return;
    }
    fe_double(rr, rr);
    Fe i, j, v;
    fe_double(t, h);
    sqr(i, t);
    mul(j, h, i);
    mul(v, u1, i);
    // Z3 = ((Z1 + Z2)^2 - Z1Z1 - Z2Z2) H, before p.z may be overwritten.
    fe_add(t, p.z, q.z);
    sqr(t, t);
    fe_sub(t, t, z1z1);
    fe_sub(t, t, z2z2);
    mul(r.z, t, h);
    // X3 = r^2 - J - 2V
    sqr(t, rr);
    fe_sub(t, t, j);
    fe_sub(t, t, v);
    fe_sub(r.x, t, v);
    // Y3 = r (V - X3) - 2 S1 J
    fe_sub(t, v, r.x);
    mul(t, rr, t);
    mul(s1, s1, j);
    fe_double(s1, s1);
    fe_sub(r.y, t, s1);
  }

  // r = p + q with q affine (7M + 4S). r may alias p.
  static void add_affine(Jacobian& r, const Jacobian& p, const Affine& q) {
    if (is_infinity(p)) {
      r = Jacobian{q.x, q.y, kOne};
      return;
    }
    Fe z1z1, u2, s2, h, hh, rr, t;
    sqr(z1z1, p.z);
    mul(u2, q.x, z1z1);
    mul(t, p.z, z1z1);
    mul(s2, q.y, t);
    fe_sub(h, u2, p.x);
    fe_sub(rr, s2, p.y);
    if (fe_is_zero(h)) {
      if (fe_is_zero(rr)) {
        dbl(r, p);
      } else {
        r = Jacobian{};
      }
      return;
    }
    fe_double(rr, rr);
    Fe i, j, v;
    sqr(hh, h);
    fe_double(i, hh);
    fe_double(i, i);
    mul(j, h, i);
    mul(v, p.x, i);
    Fe y1j;
    mul(y1j, p.y, j);
    // Z3 = (Z1 + H)^2 - Z1Z1 - HH
    fe_add(t, p.z, h);
    sqr(t, t);
    fe_sub(t, t, z1z1);
    fe_sub(r.z, t, hh);
    // X3 = r^2 - J - 2V
    sqr(t, rr);
    fe_sub(t, t, j);
    fe_sub(t, t, v);
    fe_sub(r.x, t, v);
    // Y3 = r (V - X3) - 2 Y1 J
    fe_sub(t, v, r.x);
    mul(t, rr, t);
    fe_double(y1j, y1j);
    fe_sub(r.y, t, y1j);
  }
};

}  // namespace tern::crypto::p256
