/* The math group: musl's libm on values the compiler cannot fold
 * (volatile inputs), each against its correctly rounded or exact value
 * within a few units in the last place. */
#include <float.h>
#include <math.h>

#include "suite.h"

/* Whether a and b agree to within ulps units in the last place of b. */
static int near(double a, double b, double ulps)
{
	if (a == b)
		return 1;
	return fabs(a - b) <= ulps * fabs(b) * DBL_EPSILON;
}

SUITE_GROUP(math)
{
	volatile double two = 2.0, half = 0.5, one = 1.0, ten = 10.0, neg = -1.0, big = 1e308, tiny = 1e-310;
	volatile float twof = 2.0f;
	// cppcheck-suppress invalidFunctionArg ; sqrt(-1) is NaN, checked
	CHECK(sqrt_exact_and_irrational,
	      sqrt(two * two) == 2.0 && near(sqrt(two), 1.4142135623730951, 0.5) && isnan(sqrt(neg)));
	CHECK(pow_integers_and_fractions, pow(two, 10.0) == 1024.0 && pow(ten, -2.0) == 0.01 &&
						  near(pow(two, half), 1.4142135623730951, 1) &&
						  pow(neg, 3.0) == -1.0);
	CHECK(exp_log_inverse, near(exp(one), 2.718281828459045, 1) && log(one) == 0.0 &&
				       near(log(exp(two)), 2.0, 1) && log(0.0 * one) == -HUGE_VAL);
	CHECK(log2_log10_exp2,
	      log2(1024.0 * one) == 10.0 && log10(1000.0 * one) == 3.0 && exp2(ten) == 1024.0);
	CHECK(sin_cos_tan, near(sin(M_PI / 6 * one), 0.5, 2) && near(cos(M_PI / 3 * one), 0.5, 2) &&
				   near(tan(M_PI / 4 * one), 1.0, 2) && sin(0.0 * one) == 0.0);
	CHECK(large_argument_reduction, fabs(sin(1e22 * one) - -0.8522008497671888) < 1e-15);
	CHECK(inverse_trig, near(atan2(one, one), M_PI / 4, 1) && near(asin(half), M_PI / 6, 1) &&
				    near(acos(-one), M_PI, 1) && atan2(0.0 * one, -one) == M_PI);
	CHECK(hyperbolic, near(sinh(one), 1.1752011936438014, 2) && near(cosh(one), 1.5430806348152437, 2) &&
				  near(tanh(half), 0.46211715726000974, 2));
	CHECK(rounding_functions, floor(-2.5 * one) == -3.0 && ceil(-2.5 * one) == -2.0 &&
					  round(2.5 * one) == 3.0 && trunc(-2.7 * one) == -2.0 &&
					  rint(2.5 * one) == 2.0 && nearbyint(3.5 * one) == 4.0);
	CHECK(lround_llrint, lround(-2.5 * one) == -3 && llrint(2.5 * one) == 2 && lrint(-3.5 * one) == -4);
	CHECK(fmod_remainder, fmod(7.5 * one, two) == 1.5 && fmod(-7.5 * one, two) == -1.5 &&
				      remainder(7.0 * one, two) == -1.0);
	int e = 0;
	double m = frexp(48.0 * one, &e);
	double ip = 0, fp = modf(-3.25 * one, &ip);
	CHECK(frexp_ldexp_modf, m == 0.75 && e == 6 && ldexp(m, e) == 48.0 && ip == -3.0 && fp == -0.25);
	CHECK(hypot_cbrt_fma,
	      hypot(3.0 * one, 4.0 * one) == 5.0 && cbrt(-27.0 * one) == -3.0 && fma(two, 3.0, one) == 7.0);
	CHECK(classify_inf_nan_subnormal, isinf(big * ten) && isnan(big * ten - big * ten) &&
						  fpclassify(tiny) == FP_SUBNORMAL && signbit(-0.0 * one) &&
						  !isfinite(INFINITY * one));
	CHECK(nextafter_and_epsilon, nextafter(one, two) == 1.0 + DBL_EPSILON &&
					     nextafter(0.0 * one, one) == 4.9406564584124654e-324);
	CHECK(float_functions, sqrtf(twof * twof) == 2.0f && fabsf(sinf(0.5f * twof) - 0.84147098f) < 1e-6f &&
				       powf(twof, 3.0f) == 8.0f && floorf(-0.5f * twof) == -1.0f);
}
