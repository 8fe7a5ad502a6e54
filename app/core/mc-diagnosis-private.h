/* mc-diagnosis-private.h: from what a check found to what to change (engine only)
 *
 * Every sentence of advice is written in mc-diagnosis.c; the check only reports
 * what happened and what its probes found.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "mc-diagnosis.h"
#include "mc-probe-private.h"
#include "mc-provider.h"

G_BEGIN_DECLS

GArray *mc_diagnosis_usual_endpoints       (McSettings     *settings);
void    mc_diagnosis_explain_error         (McResult       *result,
                                            McSettings     *settings,
                                            McStepId        failed_step,
                                            const GError   *error);
void    mc_diagnosis_login_not_tested      (McResult       *result,
                                            McSettings     *settings);
void    mc_diagnosis_preauth               (McResult       *result,
                                            McSettings     *settings);
void    mc_diagnosis_plaintext_not_allowed (McResult       *result,
                                            McSettings     *settings);
void    mc_diagnosis_port_speaks_plaintext (McResult       *result,
                                            McSettings     *settings,
                                            const McProbe  *starttls_here,
                                            const McProbe  *implicit_elsewhere);
void    mc_diagnosis_port_expects_tls      (McResult       *result,
                                            McSettings     *settings,
                                            const McProbe  *implicit_here,
                                            const McProbe  *starttls_elsewhere);
void    mc_diagnosis_port_unreachable      (McResult       *result,
                                            McSettings     *settings,
                                            gboolean        refused,
                                            GArray         *answering,
                                            GPtrArray      *probes);
void    mc_diagnosis_network_portal        (McResult       *result,
                                            McSettings     *settings);
void    mc_diagnosis_starttls_stripped     (McResult       *result,
                                            McSettings     *settings,
                                            const char     *keyword,
                                            const char     *masked,
                                            gboolean        published,
                                            const McProbe  *implicit);
void    mc_diagnosis_family_broken         (McResult       *result,
                                            McSettings     *settings,
                                            GSocketFamily   broken,
                                            gboolean        after_connect);
void    mc_diagnosis_tls_intercepted       (McResult       *result,
                                            McSettings     *settings);
void    mc_diagnosis_finish                (McResult       *result,
                                            McSettings     *settings);

G_END_DECLS
