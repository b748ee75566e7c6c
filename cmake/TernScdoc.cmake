# SPDX-License-Identifier: Apache-2.0
# Turns one docs/man/NAME.SECTION.scd into the man page NAME.SECTION with scdoc, the
# version filled in. Run by the `man` target (TernDocs.cmake):
#   cmake -DSCDOC=scdoc -DINPUT=tern.1.scd -DOUTPUT=man/tern.1 -DVERSION=0.1.0 -P TernScdoc.cmake
# scdoc takes the page's date from SOURCE_DATE_EPOCH when it is set (reproducible builds).
foreach(variable SCDOC INPUT OUTPUT VERSION)
  if(NOT DEFINED ${variable})
    message(FATAL_ERROR "TernScdoc.cmake: -D${variable}=... is missing")
  endif()
endforeach()

file(READ "${INPUT}" text)
string(REPLACE "@TERN_VERSION@" "${VERSION}" text "${text}")
file(WRITE "${OUTPUT}.scd" "${text}")
execute_process(COMMAND "${SCDOC}"
                INPUT_FILE "${OUTPUT}.scd"
                OUTPUT_FILE "${OUTPUT}.tmp"
                ERROR_VARIABLE error
                RESULT_VARIABLE status)
file(REMOVE "${OUTPUT}.scd")
if(NOT status EQUAL 0)
  file(REMOVE "${OUTPUT}.tmp")
  string(STRIP "${error}" error)
  message(FATAL_ERROR "scdoc failed on ${INPUT}: ${error}")
endif()
file(RENAME "${OUTPUT}.tmp" "${OUTPUT}")
