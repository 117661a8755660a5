# Runs one libFuzzer target briefly over a scratch copy of its seed corpus (the seeds in the tree are
# never modified). Fails when the fuzzer reports anything: libFuzzer exits non-zero on a crash, a
# sanitizer report, a leak or a timeout, and leaves the input that caused it in WORK/.
#   cmake -DFUZZER=... -DCORPUS=... -DWORK=... -DSECONDS=20 -P run_fuzz_brief.cmake
foreach(var FUZZER CORPUS WORK SECONDS RUNS)
  if(NOT DEFINED ${var})
    message(FATAL_ERROR "run_fuzz_brief.cmake: ${var} is not set")
  endif()
endforeach()
file(REMOVE_RECURSE ${WORK})
file(MAKE_DIRECTORY ${WORK}/corpus)
file(GLOB seeds ${CORPUS}/*)
if(NOT seeds)
  message(FATAL_ERROR "seed corpus ${CORPUS} is empty")
endif()
file(COPY ${seeds} DESTINATION ${WORK}/corpus)
set(ENV{UBSAN_OPTIONS} "halt_on_error=1:print_stacktrace=1")
set(ENV{ASAN_OPTIONS} "detect_leaks=1")
execute_process(
  COMMAND ${FUZZER} -seed=1 -runs=${RUNS} -max_total_time=${SECONDS} -timeout=10 -rss_limit_mb=2048 -max_len=4096
          -print_final_stats=1 -artifact_prefix=${WORK}/ ${WORK}/corpus
  RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "${FUZZER} failed (exit ${rc}); the input that triggered it is in ${WORK}/")
endif()
