// The R scripts that generate Qicharts2Cases.swift and PlotTheDotsCases.swift, kept here (as a
// comment, so SwiftPM does not warn about a non-Swift file in the test target) to regenerate or
// extend the reference cases.
//
// Setup (Debian: apt-get install r-base-core r-cran-dplyr r-cran-stringr r-cran-assertthat
// r-cran-rlang r-cran-tidyselect), in an empty folder:
//   - from anhoej/qicharts2 (commit 1b9487e): R/qic.R, R/helper.functions.R, R/sysdata.rda, and
//     the .rds files of tests/testthat into rds/;
//   - from nhs-r-community/NHSRplotthedots (commit 050b07d): every R/ptd_*.R, R/ZZZ.R and
//     R/to_datetime.R, each saved as ptd_<name>.R; with dplyr 1.0.10, replace `.default = x` in
//     R/ptd_calculate_point_type.R's case_when calls by `TRUE ~ x` (the same meaning).
// Then: Rscript make-qicharts2-cases.R > Qicharts2Cases.swift
//       Rscript make-plotthedots-cases.R > PlotTheDotsCases.swift

// ---- make-qicharts2-cases.R ----
// source('qic.R'); source('helper.functions.R'); load('sysdata.rda'); options(qic.screenedmr=TRUE)
// num <- function(v) paste0('[', paste(ifelse(is.na(v) | !is.finite(v), 'nil', sprintf('%.17g', v)), collapse=', '), ']')
// int <- function(v) paste0('[', paste(ifelse(is.na(v), 'nil', as.character(as.integer(v))), collapse=', '), ']')
// bool <- function(v) paste0('[', paste(ifelse(v, 'true', 'false'), collapse=', '), ']')
// str <- function(v) paste0('[', paste(ifelse(is.na(v), 'nil', paste0('"', v, '"')), collapse=', '), ']')
// out <- c()
// emit <- function(name, x, y, n = NULL, chart, phase = NULL, exclude = NULL, freeze = NULL, multiply = 1, screen = TRUE, ref = NULL, note = '') {
//   options(qic.screenedmr = screen)
//   xx <- x; yv <- y; nv <- n
//   d <- if (is.null(n)) qic(xx, yv, chart = chart, multiply = multiply, exclude = exclude, freeze = freeze, part = phase, return.data = TRUE, title = NULL) else qic(xx, yv, nv, chart = chart, multiply = multiply, exclude = exclude, freeze = freeze, part = phase, return.data = TRUE, title = NULL)
//   if (!is.null(ref)) { r <- readRDS(paste0('rds/', ref, '.rds')); stopifnot(isTRUE(all.equal(r$cl, d$cl)), isTRUE(all.equal(r$ucl, d$ucl)), isTRUE(all.equal(r$lcl, d$lcl)), identical(r$sigma.signal, d$sigma.signal), identical(r$runs.signal, d$runs.signal)) }
//   # subgroup index per row for exclusion
//   ux <- unique(x); sub <- match(x, ux)
//   rowsExcluded <- if (is.null(exclude)) rep(FALSE, length(x)) else sub %in% exclude
//   rowPhase <- if (is.null(phase)) rep(NA, length(x)) else as.character(findInterval(sub - 1, phase) + 1)
//   parts <- split(d, d$part)
//   first <- function(col) sapply(parts, function(p) p[[col]][1])
//   s <- c(sprintf('    ReferenceCase(\n        name: "%s", source: "%s",', name, note),
//     sprintf('        chart: .%s, freeze: %s, multiply: %s, screen: %s,', chart, ifelse(is.null(freeze), 'nil', freeze), sprintf('%.17g', multiply), ifelse(screen, 'true', 'false')),
//     sprintf('        x: %s,', str(as.character(x))),
//     sprintf('        y: %s,', num(y)),
//     sprintf('        n: %s,', if (is.null(n)) 'nil' else num(n)),
//     sprintf('        phase: %s,', if (is.null(phase)) 'nil' else str(rowPhase)),
//     sprintf('        excluded: %s,', bool(rowsExcluded)),
//     sprintf('        expectedY: %s,', num(d$y)),
//     sprintf('        cl: %s,', num(d$cl)),
//     sprintf('        lcl: %s,', num(d$lcl)),
//     sprintf('        ucl: %s,', num(d$ucl)),
//     sprintf('        lcl2: %s,', num(d$lcl.95)),
//     sprintf('        ucl2: %s,', num(d$ucl.95)),
//     sprintf('        outside: %s,', bool(d$sigma.signal)),
//     sprintf('        useful: %s,', int(first('n.useful'))),
//     sprintf('        longestRun: %s,', int(first('longest.run'))),
//     sprintf('        longestRunMax: %s,', int(first('longest.run.max'))),
//     sprintf('        crossings: %s,', int(first('n.crossings'))),
//     sprintf('        crossingsMin: %s,', int(first('n.crossings.min'))),
//     sprintf('        runsSignal: %s', bool(first('runs.signal'))),
//     '    ),')
//   out <<- c(out, s)
// }
// m <- 'qicharts2 tests/testthat reference'
// emit('Montgomery 6.3 xbar', tbl_06.03$sample, tbl_06.03$obs, chart='xbar', ref='ex_6.3_1', note=paste(m, 'ex_6.3_1.rds'))
// emit('Montgomery 6.3 s', tbl_06.03$sample, tbl_06.03$obs, chart='s', ref='ex_6.3_2', note=paste(m, 'ex_6.3_2.rds'))
// emit('Montgomery 6.4 xbar (variable n)', tbl_06.04$sample, tbl_06.04$obs, chart='xbar', ref='ex_6.4_1', note=paste(m, 'ex_6.4_1.rds'))
// emit('Montgomery 6.4 s (variable n)', tbl_06.04$sample, tbl_06.04$obs, chart='s', ref='ex_6.4_2', note=paste(m, 'ex_6.4_2.rds'))
// emit('Montgomery 6.5 i, freeze 20', tbl_06.07$weeks, tbl_06.07$cost, chart='i', freeze=20, ref='ex_6.5_3', note=paste(m, 'ex_6.5_3.rds'))
// emit('Montgomery 6.5 mr, freeze 20', tbl_06.07$weeks, tbl_06.07$cost, chart='mr', freeze=20, ref='ex_6.5_4', note=paste(m, 'ex_6.5_4.rds'))
// emit('Montgomery 7.1 p, exclude 15 and 23, phase after 30', tbl_07.03$sample, tbl_07.03$count, tbl_07.03$size, chart='p', exclude=c(15,23), phase=30, ref='ex_7.1_5', note=paste(m, 'ex_7.1_5.rds'))
// emit('Montgomery table 7.4 p', tbl_07.04$sample, tbl_07.04$count, tbl_07.04$size, chart='p', ref='tbl_7.4_1', note=paste(m, 'tbl_7.4_1.rds'))
// emit('Montgomery 7.3 c, exclude 6 and 20, freeze 26', tbl_07.08$sample, tbl_07.08$count, chart='c', exclude=c(6,20), freeze=26, ref='ex_7.3_3', note=paste(m, 'ex_7.3_3.rds'))
// emit('Montgomery 7.4 u', tbl_07.10$sample, tbl_07.10$count, tbl_07.10$size, chart='u', ref='ex_7.4_1', note=paste(m, 'ex_7.4_1.rds'))
// emit('Montgomery 7.5 u, multiply 50', tbl_07.11$roll, tbl_07.11$count, tbl_07.11$meters, chart='u', multiply=50, ref='ex_7.5_1', note=paste(m, 'ex_7.5_1.rds'))
// emit('Montgomery 7.6 t', tbl_07.14$failure, tbl_07.14$hours, chart='t', ref='ex_7.6_1', note=paste(m, 'ex_7.6_1.rds'))
// q <- 'qicharts2 1b9487e qic(return.data = TRUE) run in R 4.2.2'
// set.seed(7); y <- round(rnorm(30, 20, 4), 1); y[c(5, 17)] <- NA
// emit('run chart with missing values', 1:30, y, chart='run', note=q)
// set.seed(8); y <- c(round(rnorm(16, 20, 2), 1), round(rnorm(14, 24, 2), 1))
// emit('run chart, shifted second half', 1:30, y, chart='run', note=q)
// emit('run chart, two phases', 1:30, y, chart='run', phase=16, note=q)
// set.seed(9); n <- round(runif(24, 2000, 4000)); yy <- rbinom(24, n, rbeta(24, 60, 140))
// emit('pp chart (Laney)', 1:24, yy, n, chart='pp', note=q)
// emit('p chart of the same (over-dispersed)', 1:24, yy, n, chart='p', multiply=100, note=q)
// set.seed(10); n <- round(runif(24, 5000, 9000)); yy <- rpois(24, n * rgamma(24, 50, 5000))
// emit('up chart (Laney)', 1:24, yy, n, chart='up', note=q)
// set.seed(11); yy <- rgeom(30, 1/25)
// emit('g chart', 1:30, yy, chart='g', note=q)
// set.seed(12); yy <- round(rnorm(24, 100, 10), 1); yy[10] <- 160; yy[3] <- NA
// emit('i chart with an outlier and a missing value', 1:24, yy, chart='i', note=q)
// emit('i chart, no moving range screening', 1:24, yy, chart='i', screen=FALSE, note=q)
// emit('i chart, exclude 10', 1:24, yy, chart='i', exclude=10, note=q)
// emit('mr chart', 1:24, yy, chart='mr', note=q)
// set.seed(13); n <- round(runif(20, 20, 60)); yy <- rbinom(20, n, 0.9)
// emit('p chart near 1, multiply 100 after clipping', 1:20, yy, n, chart='p', multiply=100, note=q)
// emit('p chart, two points', 1:2, c(3, 5), c(10, 12), chart='p', note=q)
// emit('i chart, two points', 1:2, c(3, 5), chart='i', note=q)
// set.seed(14); yy <- rpois(26, 6)
// emit('c chart, two phases', 1:26, yy, chart='c', phase=13, note=q)
// cat('// swift-format-ignore-file\n')
// cat('// Generated by R from qicharts2 (anhoej/qicharts2 at 1b9487e, R/qic.R and R/helper.functions.R) and\n')
// cat('// its Montgomery data (R/sysdata.rda); the Montgomery cases are also checked in R against the\n')
// cat('// reference outputs (the .rds files) qicharts2 ships in tests/testthat. Do not edit by hand.\n')
// cat('@testable import SPC\n\n')
// cat('let qicharts2Cases: [ReferenceCase] = [\n'); cat(out, sep='\n'); cat(']\n')

// ---- make-plotthedots-cases.R ----
// suppressMessages({library(dplyr); library(rlang)})
// for (f in list.files('.', pattern='^ptd_.*\\.R$')) source(f)
// is_date <- function(x) inherits(x, c('Date','POSIXt'))
// num <- function(v) paste0('[', paste(ifelse(is.na(v) | !is.finite(v), 'nil', sprintf('%.17g', v)), collapse=', '), ']')
// str <- function(v) paste0('[', paste(ifelse(is.na(v), 'nil', paste0('"', v, '"')), collapse=', '), ']')
// out <- c()
// emit <- function(name, y, direction = 'increase', target = NULL, fix = NULL, rebase = NULL, screen = TRUE) {
//   dates <- as.Date('2020-01-01') + seq_along(y) - 1
//   d <- data.frame(x = dates, y = y)
//   rb <- if (is.null(rebase)) ptd_rebase() else dates[rebase]
//   r <- as.data.frame(suppressWarnings(ptd_spc(d, value_field = y, date_field = x, improvement_direction = direction,
//         target = if (is.null(target)) ptd_target() else target, fix_after_n_points = fix, rebase = rb, screen_outliers = screen)))
//   a <- ptd_calculate_assurance_type(structure(r, options = list(target = target, improvement_direction = direction)))$assurance_type
//   dir <- c(increase = 'up', decrease = 'down', neutral = 'neutral')[[direction]]
//   out <<- c(out, sprintf('    PlotTheDotsCase(\n        name: "%s",', name),
//     sprintf('        direction: .%s, target: %s, freeze: %s, phaseStarts: %s, screen: %s,', dir, ifelse(is.null(target), 'nil', sprintf('%.17g', target)),
//       ifelse(is.null(fix), 'nil', fix), if (is.null(rebase)) '[]' else paste0('[', paste(rebase - 1, collapse = ', '), ']'), ifelse(screen, 'true', 'false')),
//     sprintf('        y: %s,', num(y)),
//     sprintf('        cl: %s,', num(r$mean_col)),
//     sprintf('        lcl: %s,', num(r$lpl)),
//     sprintf('        ucl: %s,', num(r$upl)),
//     sprintf('        specialCauseType: %s,', str(r$special_cause_type)),
//     sprintf('        pointType: %s,', str(r$point_type)),
//     sprintf('        assurance: %s', ifelse(is.na(a), 'nil', paste0('"', a, '"'))),
//     '    ),')
// }
// set.seed(123); y <- rnorm(20)
// emit('rnorm(20), seed 123 (tests/testthat/_snaps/ptd_spc_standard.md)', y)
// y2 <- y; y2[15] <- 10
// emit('seed 123 with y[15] = 10, screened (snapshot r2)', y2)
// emit('seed 123 with y[15] = 10, not screened (snapshot r3)', y2, screen = FALSE)
// set.seed(21); base <- round(rnorm(14, 50, 4), 1)
// y <- c(base, 51, 52.5, 54, 55.2, 57, 58.1, 60, round(rnorm(9, 58, 3), 1))
// emit('trend then shift, higher is better', y, target = 45)
// emit('trend then shift, lower is better', y, direction = 'decrease', target = 45)
// emit('trend then shift, neutral', y, direction = 'neutral')
// set.seed(22); y <- round(rnorm(24, 100, 8), 1); y[c(9, 11)] <- c(118, 117); y[20] <- 140
// emit('two of three and an outside point', y, target = 130)
// emit('two of three, lower is better, target below the band', y, direction = 'decrease', target = 60)
// set.seed(23); y <- c(round(rnorm(18, 30, 3), 1), round(rnorm(18, 24, 3), 1))
// emit('freeze after 12, then a step down', y, fix = 12, direction = 'decrease', target = 26)
// emit('rebase at point 19', y, rebase = 19, direction = 'decrease', target = 26)
// y <- c(5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5)
// emit('all equal', y, target = 4)
// y <- c(1, 2, 3, 4, 5, 6, 7, 6, 5, 4, 3, 2, 1, 4)
// emit('rising then falling trends sharing a peak', y)
// cat('// swift-format-ignore-file\n')
// cat('// Generated by R from NHSRplotthedots (nhs-r-community/NHSRplotthedots at 050b07d, R/ptd_*.R) run in\n')
// cat('// R 4.2.2 with dplyr 1.0.10 (`.default =` in case_when spelled `TRUE ~`, its older equivalent).\n')
// cat('// The first case reproduces the package snapshot tests/testthat/_snaps/ptd_spc_standard.md. Do not edit by hand.\n')
// cat('@testable import SPC\n\n')
// cat('let plotTheDotsCases: [PlotTheDotsCase] = [\n'); cat(out, sep='\n'); cat(']\n')
