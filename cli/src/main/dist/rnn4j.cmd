@echo off
rem Starts the rnn4j command: the JVM with the Vector API module (the reference backend's SIMD
rem kernels) and TensorFlow's start-up log quiet unless TF_CPP_MIN_LOG_LEVEL is set.
rem Works from the build (cli\target\rnn4j.cmd beside rnn4j.jar and lib\) and from a distribution
rem (bin\rnn4j.cmd, with every jar in lib\). JAVA_HOME picks the JVM; JAVA_OPTS adds JVM options.
setlocal
set "DIR=%~dp0"
if exist "%DIR%rnn4j.jar" (
  set "CP=%DIR%rnn4j.jar;%DIR%lib\*"
) else (
  set "CP=%DIR%..\lib\*"
)
if not defined TF_CPP_MIN_LOG_LEVEL set "TF_CPP_MIN_LOG_LEVEL=2"
set "JAVA=java"
if defined JAVA_HOME set "JAVA=%JAVA_HOME%\bin\java"
"%JAVA%" --add-modules jdk.incubator.vector %JAVA_OPTS% -cp "%CP%" org.rnn4j.cli.Main %*
exit /b %ERRORLEVEL%
