// SPDX-License-Identifier: Apache-2.0
// P-256 points: affine (x, y) and Jacobian (X, Y, Z) with x = X/Z^2, y = Y/Z^3, the point
// at infinity as Z = 0. The formulas are the Explicit-Formulas Database's for short
// Weierstrass curves with a = -3 (add-2007-bl; add-1998-cmo-2 and madd-2004-hmv in the
// main loop, which trade a multiplication for fewer additions), the doubling the 4M + 4S
// one of OpenSSL's ecp_nistz256. Variable time: only public points pass through here
// (verification). Templated on the field multiplication so that the portable and ADX
// paths each get their own inlined copy.
#pragma once

#include "crypto/p256/field.h"

namespace tern::crypto::p256 {

struct Affine {
  Fe x, y;  // Montgomery form
};

struct Jacobian {
  Fe x, y, z;  // Montgomery form; z == 0 is the point at infinity
};

// A Jacobian point (not infinity) with Z^2 and Z^3 kept, for adding it many times.
struct Cached {
  Fe x, y, z, zz, zzz;
};

template <void (*Mul)(Fe&, const Fe&, const Fe&), void (*Sqr)(Fe&, const Fe&)>
struct Curve {
  // Inlined: a call costs about a tenth of a multiplication.
  __attribute__((always_inline)) static void mul(Fe& r, const Fe& a, const Fe& b) { Mul(r, a, b); }
  __attribute__((always_inline)) static void sqr(Fe& r, const Fe& a) { Sqr(r, a); }

  static bool is_infinity(const Jacobian& p) { return fe_is_zero(p.z); }

  // r = 2p (4M + 4S), r may be p: with S = 4XY^2 and M = 3(X - Z^2)(X + Z^2),
  // X3 = M^2 - 2S, Y3 = M(S - X3) - 8Y^4, Z3 = 2YZ. One multiplication more than
  // dbl-2001-b's 3M + 5S but five additions fewer, which costs less here. Infinity doubles
  // to infinity (Z3 comes out 0); P-256 has no point of order 2, so no other case is
  // special.
  static void dbl(Jacobian& r, const Jacobian& p) {
    Fe s, zz, m, t, y4;
    fe_double(s, p.y);
    sqr(zz, p.z);
    mul(r.z, s, p.z);    // p.y and p.z are not read again
    sqr(s, s);           // 4Y^2
    fe_add(m, p.x, zz);
    fe_sub(zz, p.x, zz);
    sqr(y4, s);          // 16Y^4
    fe_half(y4, y4);     // 8Y^4
    mul(m, m, zz);
    fe_triple(m, m);     // M
    mul(s, s, p.x);      // S
    sqr(t, m);
    fe_sub2(r.x, t, s, s);  // X3
    fe_sub(s, s, r.x);
    mul(s, s, m);
    fe_sub(r.y, s, y4);  // Y3
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
    fe_sub2(t, t, z1z1, z2z2);
    mul(r.z, t, h);
    // X3 = r^2 - J - 2V
    sqr(t, rr);
    fe_sub2(t, t, j, v);
    fe_sub(r.x, t, v);
    // Y3 = r (V - X3) - 2 S1 J
    fe_sub(t, v, r.x);
    mul(t, rr, t);
    mul(s1, s1, j);
    fe_sub2(r.y, t, s1, s1);
  }

  static Cached cache(const Jacobian& p) {
    Cached c{p.x, p.y, p.z, {}, {}};
    sqr(c.zz, p.z);
    mul(c.zzz, c.zz, p.z);
    return c;
  }

  // r = p + q, or p - q when negate_q (11M + 3S, add-1998-cmo-2 with q's Z^2 and Z^3
  // given: one multiplication more than add-2007-bl but half its additions). r may alias
  // p.
  static void add_cached(Jacobian& r, const Jacobian& p, const Cached& q, bool negate_q) {
    if (is_infinity(p)) {
      r = Jacobian{q.x, q.y, q.z};
      if (negate_q) fe_neg(r.y, r.y);
      return;
    }
    Fe z1z1, u1, u2, s1, s2, t;
    sqr(z1z1, p.z);
    mul(u1, p.x, q.zz);
    mul(u2, q.x, z1z1);
    mul(s1, p.y, q.zzz);
    mul(t, p.z, z1z1);
    mul(s2, q.y, t);
    if (negate_q) fe_neg(s2, s2);
    mul(t, p.z, q.z);
    if (!finish_add(r, u1, u2, s1, s2, t)) dbl(r, p);
  }

  // r = p + q, or p - q when negate_q, with q affine (8M + 3S, madd-2004-hmv). r may
  // alias p.
  static void add_affine(Jacobian& r, const Jacobian& p, const Affine& q, bool negate_q) {
    if (is_infinity(p)) {
      r = Jacobian{q.x, q.y, kOne};
      if (negate_q) fe_neg(r.y, r.y);
      return;
    }
    Fe z1z1, u2, s2, t;
    sqr(z1z1, p.z);
    mul(u2, q.x, z1z1);
    mul(t, p.z, z1z1);
    mul(s2, q.y, t);
    if (negate_q) fe_neg(s2, s2);
    if (!finish_add(r, p.x, u2, p.y, s2, p.z)) dbl(r, p);
  }

 private:
  // The common end of both additions, from U1 = X1·Z2^2, U2 = X2·Z1^2, S1 = Y1·Z2^3,
  // S2 = Y2·Z1^3 and Z1·Z2: H = U2 - U1, R = S2 - S1, X3 = R^2 - H^3 - 2·U1·H^2,
  // Y3 = R·(U1·H^2 - X3) - S1·H^3, Z3 = Z1·Z2·H. The inputs may alias r's coordinates:
  // each is read before that coordinate is written. Returns false, writing nothing, when
  // the two points are equal (H = R = 0), which the caller doubles instead.
  static bool finish_add(Jacobian& r, const Fe& u1, const Fe& u2, const Fe& s1, const Fe& s2,
                         const Fe& z1z2) {
    Fe h, rr, hh, hhh, v, t;
    fe_sub(h, u2, u1);
    fe_sub(rr, s2, s1);
    if (fe_is_zero(h)) {
      if (fe_is_zero(rr)) return false;
      r = Jacobian{};  // p = -q
      return true;
    }
    sqr(hh, h);
    mul(hhh, h, hh);
    mul(v, u1, hh);
    mul(r.z, z1z2, h);
    Fe s1hhh;
    mul(s1hhh, s1, hhh);
    sqr(t, rr);
    fe_sub2(t, t, hhh, v);
    fe_sub(r.x, t, v);
    fe_sub(t, v, r.x);
    mul(t, rr, t);
    fe_sub(r.y, t, s1hhh);
    return true;
  }
};

}  // namespace tern::crypto::p256
